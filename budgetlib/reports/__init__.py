"""Reports: analysis tables in, HTML, Excel workbooks and executed notebooks out.

The notebooks (``notebooks/department.ipynb``, ``notebooks/comparison.ipynb``, shipped
with the package) call ``department_report`` and ``comparison_report``, one function
per section; ``blocks`` holds their headings and notes and ``parameters`` validates
the notebook parameters. ``charts`` draws with the CJK font from ``fonts``;
``excel`` and ``workbooks`` write the workbooks for finance offices; ``html`` turns
an executed notebook into one self-contained page and writes the index; ``naming``
makes safe file names from department names.
"""
