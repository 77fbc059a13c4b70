"""The vocabulary and the contract: what every stage calls things. Plain data, no I/O.

In: nothing (imported by every other stage). Out: declarations. ``contract`` declares
the processed tables (columns, types, sort keys, severities); ``tables`` the standard
tables of a disclosure (titles, 栏次, column keys, each province's layouts);
``labels`` the words of total rows (合计, 本年收入合计 …); ``facts`` the figures the
prose states (keys, labels, parts, prior/change forms); ``headlines`` where each
headline figure is printed; ``small_tables`` the procurement and asset tables;
``sources`` how a source line is numbered and cited (``文件 第P页第N行``); ``money``
printed amounts as exact decimals in 万元; ``text`` cell-text normalisation.
"""
