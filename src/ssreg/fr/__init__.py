"""French identifiers: the social security number (:mod:`ssreg.fr.nir`)."""

from . import nir


__all__ = ["nir"]
