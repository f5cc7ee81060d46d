"""Views of the live-session console, one module per tool. They stay thin: rules live in services and selectors."""
