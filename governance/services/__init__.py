"""Every write the governance app makes, one module per domain (see STYLE.md section 3).

Import from the module that does the work, e.g. `governance.services.boards`.
"""
