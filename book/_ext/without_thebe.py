"""Take sphinx-thebe out of the built pages.

Jupyter Book 1.x always loads sphinx-thebe. Even with Thebe off, it writes into every page a Thebe
configuration that points at an unrelated Binder example repository, a script pointing at a CDN copy of
Thebe, and its CSS and JS files. The book runs its charts in the browser and its notebooks in Jupyter, so
none of that is used: this extension disconnects sphinx-thebe's event handlers and drops its stylesheet.
It must be listed after sphinx-thebe (local extensions load after Jupyter Book's own).
"""

from __future__ import annotations


def setup(app):
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)
    app.registry.css_files = [(name, attributes) for name, attributes in app.registry.css_files
                              if name != "sphinx-thebe.css"]
    return {"parallel_read_safe": True, "parallel_write_safe": True}
