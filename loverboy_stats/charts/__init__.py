"""Plotly figure builders by subject, one style: data in, ``go.Figure`` out.

* :mod:`~loverboy_stats.charts.style` - palette, Dutch notation, title and source layout;
* :mod:`~loverboy_stats.charts.national` - the national gap, registrations, estimates;
* :mod:`~loverboy_stats.charts.compare` - ranking, scatter, funnel, trend and map of Vergelijken;
* :mod:`~loverboy_stats.charts.checklist` - checklist completion per theme and across areas;
* :mod:`~loverboy_stats.charts.profile` - the funnel and trend of one area's profile.
"""
