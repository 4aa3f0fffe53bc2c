// Dutch for Streamlit's own interface.
// Streamlit 1.67 has no translations: its skip link,
// sidebar, file uploader, date field, table toolbar and help buttons speak English, and the
// page's html element says lang="en". This script, run once per browser tab by ui/shell.py, sets
// lang="nl" and replaces those fixed English texts (visible text and accessible names) by
// Dutch ones, also when Streamlit draws them later. It reads and writes no user data.
// tests/e2e/test_accessibility.py fails on any English word it finds, so a new Streamlit text
// shows up there first. The nginx Content-Security-Policy in docs/deployment.md allows this
// script by its SHA-256 (tests/test_docs.py checks that the hash matches this file).
// No less-than sign directly before a letter or slash anywhere in this file: Streamlit's HTML
// sanitiser (DOMPurify) drops a script whose text looks like markup.
(() => {
  if (window.lbsDutch) return;
  window.lbsDutch = true;
  const exact = new Map([
    ["Skip to main content", "Naar de inhoud"],
    ["Sidebar", "Zijbalk"],
    ["Collapse sidebar", "Zijbalk inklappen"],
    ["Expand sidebar", "Zijbalk uitklappen"],
    ["Open sidebar", "Zijbalk openen"],
    ["Close sidebar", "Zijbalk sluiten"],
    ["App pages", "Pagina's"],
    ["View more", "Meer tonen"],
    ["View less", "Minder tonen"],
    ["Link to heading", "Link naar dit kopje"],
    ["Upload", "Bestand kiezen"],
    ["Browse files", "Bestand kiezen"],
    ["file upload", "bestand kiezen"],
    ["Drag and drop file here", "Sleep een bestand hierheen"],
    ["Drag and drop files here", "Sleep bestanden hierheen"],
    ["Remove", "Verwijderen"],
    ["Remove file", "Bestand verwijderen"],
    ["Choose an option", "Kies een optie"],
    ["Choose options", "Kies opties"],
    ["No options to select", "Geen keuzes"],
    ["No results", "Geen resultaten"],
    ["Open", "Openen"],
    ["Close", "Sluiten"],
    ["Clear", "Wissen"],
    ["Clear all", "Alles wissen"],
    ["Select all", "Alles kiezen"],
    ["Choose date", "Kies een datum"],
    ["Empty", "leeg"],
    ["progress", "voortgang"],
    ["Fullscreen", "Volledig scherm"],
    ["Close fullscreen", "Volledig scherm sluiten"],
    ["Exit fullscreen", "Volledig scherm sluiten"],
    ["Download as CSV", "Downloaden als CSV"],
    ["Search", "Zoeken"],
    ["Show/hide columns", "Kolommen tonen of verbergen"],
    ["Running...", "Bezig…"],
    ["Stop", "Stoppen"],
    ["Rerun", "Opnieuw uitvoeren"],
    ["Main menu", "Menu"],
    ["Add files", "Bestanden toevoegen"],
    ["Add file", "Bestand toevoegen"],
    ["add icon", "toevoegen"],
    ["Scroll tabs right", "Tabbladen naar rechts schuiven"],
    ["Scroll tabs left", "Tabbladen naar links schuiven"],
    ["Toggle attribution", "Bronvermelding tonen of verbergen"],
    ["yyyy", "jjjj"],
  ]);
  const MONTHS = {
    January: "januari", February: "februari", March: "maart", April: "april", May: "mei",
    June: "juni", July: "juli", August: "augustus", September: "september",
    October: "oktober", November: "november", December: "december",
  };
  const patterns = [
    [/^Help for (.+)$/s, "Uitleg bij $1"],
    [/^([dD]{2})([-/.])([mM]{2})\2[yY]{4}$/s, "dd$2mm$2jjjj"],
    [/^[yY]{4}([-/.])([mM]{2})\1([dD]{2})$/s, "jjjj$1mm$1dd"],
    [/^day, (.+)$/s, "dag, $1"],
    [/^month, (.+)$/s, "maand, $1"],
    [/^year, (.+)$/s, "jaar, $1"],
    [/^(?:Limit )?(\d+)\s?MB per file(.*)$/s, "Hoogstens $1 MB per bestand$2"],
    [/^Remove (.+)$/s, "$1 verwijderen"],
    // The date field's month (aria-valuetext "10 – October").
    [
      /^(\d+) – (January|February|March|April|May|June|July|August|September|October|November|December)$/s,
      (whole, number, month) => `${number} – ${MONTHS[month]}`,
    ],
    [/^(.+) files are not allowed\.?$/s, "Dit bestandstype wordt niet geaccepteerd: kies een .csv-, .txt-, .tsv- of .xlsx-bestand"],
  ];
  const attributes = ["aria-label", "title", "placeholder", "aria-valuetext", "aria-description"];

  const dutch = (text) => {
    const trimmed = text.trim();
    if (!trimmed) return null;
    if (exact.has(trimmed)) return text.replace(trimmed, exact.get(trimmed));
    for (const [pattern, replacement] of patterns) {
      if (pattern.test(trimmed)) return text.replace(trimmed, trimmed.replace(pattern, replacement));
    }
    return null;
  };

  // Streamlit marks the file drop area as presentational while it carries a label and can
  // take focus; screen readers then get contradicting signals (axe: presentation-role-conflict).
  const fixRole = (element) => {
    if (element.getAttribute("role") === "presentation" && element.hasAttribute("aria-label")) {
      element.setAttribute("role", "group");
    }
  };

  const fixElement = (element) => {
    fixRole(element);
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (value) {
        const translated = dutch(value);
        if (translated !== null && translated !== value) element.setAttribute(name, translated);
      }
    }
  };

  const fixText = (node) => {
    const parent = node.parentElement;
    // Material icon names are ligatures drawn as icons, not words.
    if (!parent || parent.closest("[data-testid='stIconMaterial'], script, style")) return;
    const translated = dutch(node.nodeValue);
    if (translated !== null && translated !== node.nodeValue) node.nodeValue = translated;
  };

  // A chart is drawn by plotly from our own Dutch figure: nothing of Streamlit's in it. Walking
  // its hundreds of SVG nodes on every redraw cost the browser milliseconds per interaction.
  const CHART = ".js-plotly-plot";
  const skipCharts = {
    acceptNode: (node) => (node.nodeType === Node.ELEMENT_NODE && node.matches(CHART)
      ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  };
  const fixTree = (root) => {
    const element = root.nodeType === Node.ELEMENT_NODE ? root : root.parentElement;
    if (!element || element.closest(CHART)) return;
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const show = NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT;
    const walker = document.createTreeWalker(root, show, skipCharts);
    for (let node = root; node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) fixText(node);
      else fixElement(node);
    }
  };

  const html = document.documentElement;
  const setLanguage = () => {
    if (html.lang !== "nl") html.lang = "nl";
  };
  setLanguage();
  fixTree(document.body);
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "childList") change.addedNodes.forEach(fixTree);
      else if (change.type === "characterData") fixTree(change.target);
      else if (change.target === html) setLanguage();
      else if (!change.target.closest(CHART)) fixElement(change.target);
    }
  }).observe(html, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: [...attributes, "lang", "role"],
  });
})();
