"""Plain text to paragraphs: the one rule every typed or plain-text story goes through."""

from __future__ import annotations

from flows.editing.paragraphs import paragraphs_html


def test_blank_lines_separate_paragraphs_whatever_the_line_endings() -> None:
    text = "  Ngày hội  Đại đoàn kết\r\ntại thôn Làng Lường.\r\n \r\n\r\nBà con   góp công.\n\n\n"
    assert paragraphs_html(text) == "<p>Ngày hội Đại đoàn kết tại thôn Làng Lường.</p><p>Bà con góp công.</p>"


def test_typed_text_is_escaped_not_read_as_markup() -> None:
    assert paragraphs_html('Liên hệ <Trưởng thôn> & "Tổ hòa giải"') == \
        '<p>Liên hệ &lt;Trưởng thôn&gt; &amp; "Tổ hòa giải"</p>'


def test_a_phone_text_box_with_single_breaks_keeps_its_lines_when_asked() -> None:
    text = "Dòng một.\nDòng hai.\n\n"
    assert paragraphs_html(text) == "<p>Dòng một. Dòng hai.</p>"
    assert paragraphs_html(text, lines_if_no_blank_line=True) == "<p>Dòng một.</p><p>Dòng hai.</p>"
    assert paragraphs_html("A.\n\nB.\nC.", lines_if_no_blank_line=True) == "<p>A.</p><p>B. C.</p>"


def test_nothing_but_whitespace_is_no_paragraph() -> None:
    assert paragraphs_html(" \n\n \r\n") == ""
