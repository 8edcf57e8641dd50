"""Date and time formats as they are written in Finland, in every language of the site
(settings.FORMAT_MODULE_PATH): Swedish in Finland writes 16.12.2026 like Finnish, and English
pages follow the same day-first, 24-hour convention instead of the US one (12/16/2026,
3:38 p.m.). Only output formats are set; Django's input formats stay as they are."""
