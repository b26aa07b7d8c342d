"""The subscribable feed: ``cache`` rebuilds it when an input changes, ``server``
answers HTTP (waitress), ``page`` renders the agenda page (pure: values in, HTML out).
"""
