"""Signing and verifying conventions (PAdES with pyHanko): the signature fields of a PDF, the key from a
PKCS#12 file or a PKCS#11 token, the stamp drawn in the field, the signature kept PDF/A, the report of
a verification. Imported only by what signs or verifies: pyHanko is heavy."""

import logging
import warnings

with warnings.catch_warnings():
    # pyHanko still imports cryptography's DSA classes, deprecated since cryptography 47.
    warnings.filterwarnings("ignore", message="DSA is deprecated")
    import pyhanko.sign  # noqa: F401

# fontTools tells on every subset which table it drops; the stamp's font is ours, known to be fine.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
# pyHanko logs a traceback when no chain leads to a trusted root: the report says it in French.
logging.getLogger("pyhanko.sign.validation").setLevel(logging.CRITICAL)
