"""View models: what each page shows, computed without Streamlit from the published tables.

* :mod:`~loverboy_stats.views.comparison` - the one builder of "an area beside its parent
  region, all areas in the dataset and the country", used by Vergelijken and Gemeenteprofiel;
* :mod:`~loverboy_stats.views.compare` - the page Vergelijken;
* :mod:`~loverboy_stats.views.profile` - the page Gemeenteprofiel;
* :mod:`~loverboy_stats.views.datasets` - stored datasets and their published preview;
* :mod:`~loverboy_stats.views.method` - the worked example of the page Methode.
"""
