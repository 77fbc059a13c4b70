"""Extraction: one document's rows in, records of the processed tables out.

:func:`budgetlib.extract.document.parse_document` reads one file (through
:mod:`budgetlib.read`) and runs each extractor on its rows: ``recognise`` (with
``headers``) finds the standard tables and tidies them into ``line_items`` and
``document_tables``; ``metadata`` the department, region, year and kind;
``prose_sections`` and ``prose_facts`` the figures of the 情况说明
(``narrative_facts``); ``units``, ``small_tables`` and ``goals`` the 机构设置,
procurement, asset and overall-goal tables; ``targets`` the 绩效目标表 (``projects``,
``indicators``). Records are plain dicts in contract column order; a document that
cannot be understood raises :class:`~budgetlib.errors.ParseError` with file and line.
"""
