import pytest

from microcomm.csv import csv_download, csv_safe


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


def test_a_download_streams_the_header_at_once_then_safe_rows_in_chunks():
    rows = ([f"Group {n}", "=1+1" if n == 0 else n] for n in range(450))

    response = csv_download(filename="groups.csv", header=["Group", "Number"], rows=rows)

    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="groups.csv"'
    chunks = [chunk.decode() for chunk in response.streaming_content]
    assert chunks[0] == "Group,Number\r\n"
    lines = "".join(chunks).splitlines()
    assert len(lines) == 451
    assert lines[1] == "Group 0,'=1+1"
    assert lines[450] == "Group 449,449"
    assert len(chunks) == 4  # the header, then 200, 200 and 50 rows
