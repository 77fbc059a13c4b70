"""Analysis: processed tables in, the tables and figures of the reports out.

``figures`` finds each document's headline figures where its naming scheme prints
them (:mod:`budgetlib.vocab.headlines`); ``lookups`` reads one printed cell or prose
fact with its source; ``department``, ``three_public``, ``projects``,
``findings_table``, ``sources_table`` and ``standard_tables`` build the department
report's tables; ``comparison`` the cross-department ones; ``budget_execution`` sets
a budget against its final accounts (执行率). Every table is a
:class:`~budgetlib.analysis.report_table.ReportTable` whose amounts stay decimals
and name their source line; nothing here draws, writes files or prints.
"""
