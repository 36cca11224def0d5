"""Layer 4, the engines: which rules of a decision table hold for a set of facts.

The engine interface and the compiled engine (``engine``), a table compiled to one Python
function (``codegen``), the durable-rules engine (``durable``, the only module that imports
``durable``) and the running of a scope's tables with a trace built when read (``tables``).

May import: :mod:`ssreg.rulebook`, :mod:`ssreg.model`, :mod:`ssreg.exceptions`.  Internal.
"""
