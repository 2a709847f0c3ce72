"""The application layer: every use case riskcheck offers, as plain functions over data.

The command line (``riskcheck.cli``) parses options, calls one of these, and renders what it
returns; the Python API (``riskcheck.check`` and friends) calls the same functions with the
same defaults. Nothing here prints or exits.

- :mod:`riskcheck.app.check` -- a manifest or checkout -> :class:`~riskcheck.model.Report`
- :mod:`riskcheck.app.resolve` -- model references -> resolutions
- :mod:`riskcheck.app.screen` -- organisation names -> listed entities that match
- :mod:`riskcheck.app.scan` -- a checkout -> the model references in its code; a draft manifest
- :mod:`riskcheck.app.lists` -- update, status, diff, import, search of the list store
- :mod:`riskcheck.app.watch` -- one scheduled re-screen, reporting what changed
- :mod:`riskcheck.app.scenario` -- scores under an assumed listing (``whatif``)
- :mod:`riskcheck.app.fleet` -- many projects aggregated
"""
