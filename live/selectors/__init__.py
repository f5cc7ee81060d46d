"""Functions that read live-session data, one module per page (as the views are split): ``runsheet``,
``session_panel``, ``breakout``, ``polls``, ``boards``, ``debates``. Each page's reads are in a fixed number of
queries."""
