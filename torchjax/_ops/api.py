"""Every op function by its torch name (``api.add``, ``api.sum`` ...), for use inside torchjax.

Filled by ``torchjax._ops`` after all op modules are imported.
"""
