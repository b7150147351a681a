"""The kinds of gap, in a module light enough for the command line to import when it builds its parser.

>>> KINDS
('missing', 'weak', 'broken_link', 'extension')
"""

KINDS = ("missing", "weak", "broken_link", "extension")
"""缺链, 弱链, 断链 and 延链; :mod:`queries.severity` defines when each applies."""
