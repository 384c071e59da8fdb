import pytest

from microcomm.csv import csv_safe


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://example.invalid")', '\'=HYPERLINK("http://example.invalid")'),
        ("+44 1632", "'+44 1632"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("＝1+1", "'＝1+1"),
        ("＋44", "'＋44"),
        ("－1", "'－1"),
        ("＠SUM(A1)", "'＠SUM(A1)"),
        ("﹦1+1", "'﹦1+1"),
        ("\u22121", "'\u22121"),
        ("  =1+1", "'  =1+1"),
        ("\u00a0\u3000＝1+1", "'\u00a0\u3000＝1+1"),
        ("", ""),
        ("   ", "   "),
        ("Walk = talk", "Walk = talk"),
        ("Marshbrook Hub", "Marshbrook Hub"),
        (12, 12),
        (None, None),
    ],
)
def test_text_a_spreadsheet_would_run_is_made_inert(value, written):
    assert csv_safe(value) == written
