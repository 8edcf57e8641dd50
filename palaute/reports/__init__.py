"""Annual reports: the figures (computed in SQL into a plain structure) and their outputs.

- data.py: the structure every output renders (sections of tables), stored as JSON.
- scope.py: what a report covers (network, area, organisation) as query filters.
- tasks.py, feedback.py, training.py, steering.py, register.py: one section each.
- build.py: computes every section once; outputs.py renders the PDF, XLSX and CSV files;
  charts.py draws the tables' bar charts as SVG on the server.
"""
