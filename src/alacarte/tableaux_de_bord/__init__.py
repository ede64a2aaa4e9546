"""Logic of the Voilà dashboards (``dashboards/``), testable without a browser.

- ``preparation``: data prepared once (disk cache + module-level cache), light geometries;
- ``portrait``: key figures of a territory and of its sub-units;
- ``securite``: road-accident counts for a territory, years and severities;
- ``vos_donnees``: reading an uploaded CSV in memory and joining it with the commune list;
- ``cartes``: offline folium maps (Leaflet inlined, data escaped);
- ``graphiques``: accessible charts (PNG, colour-blind-safe, with a text summary);
- ``interface``: French messages, loading state, cards, downloads, protected callbacks.
"""
