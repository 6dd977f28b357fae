"""An office's own Word convention read as conventum reads its built-in types.

``conventum import`` turns three kinds of blanks into fields (content controls, mail-merge
fields, plain blanks: dots, underscores, "[à compléter]", "XXX", highlighted runs), then
recognises what the blanks stand for: a party's paragraph becomes the clauses' comparution, its
signature block and its other mentions follow, "Fait à … le …" becomes the clauses' closing.

- :mod:`.places`: where a paragraph is (page, paragraph, table, text box), as the report says;
- :mod:`.runs`: a paragraph's runs split and wrapped where a blank starts and ends;
- :mod:`.blanks`: plain and highlighted blanks made content controls;
- :mod:`.mergefields`: ``MERGEFIELD`` fields (simple and complex) made content controls;
- :mod:`.slots`: what each blank of a party's paragraph holds (name, seat, representative…);
- :mod:`.parties`: the paragraphs that introduce a party, and their "ci-après";
- :mod:`.mentions`: signature blocks, closing, other mentions of a party's blanks;
- :mod:`.report`: what was understood, as a dataclass, text and JSON;
- :mod:`.prepare`: the whole import, without writing (``prepare_import``), then the write.
"""
