"""Estimators for the effects chapter: pure functions, no file I/O.

- ``synth``: synthetic control (Abadie, Diamond and Hainmueller), in-space placebos, leave-one-out.
- ``did``: two-way fixed-effects difference-in-differences and event study with placebo inference.
- ``convergence``: sigma- and beta-convergence, population-weighted Theil index with a regional decomposition.
- ``specs``: the specification grid that shows how much the answer depends on the analyst's choices.

All functions take a long panel with one row per ``code`` × ``year`` (the columns of
``data/panel/provinces.csv``). Unit codes are compared as strings, years as integers.
"""
