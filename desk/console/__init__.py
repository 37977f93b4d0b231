"""The agent console: a static page (HTML, vanilla JS, CSS) served by the desk."""
