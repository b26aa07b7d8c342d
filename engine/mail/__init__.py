"""Replies in the user's mailbox: the chain stops when the recruiter writes back.

``replies`` decides which messages are replies (pure: headers in, replies out);
``imap`` is the read-only IMAP edge; ``check`` runs a check with a checkpoint and
records what it finds as marks.
"""
