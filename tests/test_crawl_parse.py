"""Page parsing: profiles chosen, captions apart, boilerplate gone, dates, charsets, fallbacks."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from crawl import Article, ParseError, load_profile, parse_page
from crawl.charset import decode_html
from crawl.dates import parse_published
from tests.crawl_fixtures import page
from tests.crawl_fixtures.sites import cp1258

KIEMSAT_URL = "https://kiemsat.vn/cum-thi-dua-so-10-tong-ket-cong-tac-thi-dua-nam-2023-57666.html"
BOILERPLATE = ["(0) Bình luận", "Bài viết chưa có bình luận nào", "lên đầu trang", "leftcenterrightdel",
               "Share on facebook", "Share on print", "Xuất bản thông tin", "Chi tiết bài viết VKS_HOATDONGNGANH",
               "= = =", "(kiemsat.vn)"]


def _all_text(article: Article) -> str:
    return "\n".join(filter(None, [article.text(), article.author or ""]))


def test_kiemsat_article_fields_come_from_the_profile_selectors():
    a = parse_page(page("kiemsat_article.html"), KIEMSAT_URL)
    assert a.site == "kiemsat.vn"
    assert a.url == KIEMSAT_URL
    assert a.title == "Cụm thi đua số 10 tổng kết công tác thi đua năm 2023"
    assert a.lead.startswith("Ngày 28/11/2023, tại tỉnh Đồng Tháp")
    assert a.author == "Minh Triết"
    assert len(a.paragraphs) == 3


def test_kiemsat_lead_marker_is_stripped():
    a = parse_page(page("kiemsat_article.html"), KIEMSAT_URL)
    assert "kiemsat.vn" not in a.lead.lower()


def test_captions_are_kept_apart_from_paragraphs():
    a = parse_page(page("kiemsat_article.html"), KIEMSAT_URL)
    assert a.captions == ["Toàn cảnh Hội nghị", "Đồng chí Nguyễn Văn Hồng phát biểu tại Hội nghị"]
    assert not any("Toàn cảnh Hội nghị" in p for p in a.paragraphs)


def test_baovephapluat_caption_row_becomes_a_caption_without_toolbar_text():
    a = parse_page(page("baovephapluat_article.html"),
                   "https://baovephapluat.vn/kiem-sat-24h/ban-tin-kiem-sat/cum-thi-dua-so-1-113201.html")
    assert a.site == "baovephapluat.vn"
    assert a.captions == ["Đồng chí Nguyễn Quang Dũng, Phó Viện trưởng VKSND tối cao phát biểu chỉ đạo tại Hội nghị"]
    assert all("Phó Viện trưởng VKSND tối cao phát biểu" not in p for p in a.paragraphs)
    assert a.paragraphs[-1].startswith("Các đơn vị")


@pytest.mark.parametrize("name", ["kiemsat_article.html", "baovephapluat_article.html", "liferay_article.html",
                                  "wordpress_article.html", "generic_article.html"])
def test_boilerplate_never_reaches_the_text(name):
    text = _all_text(parse_page(page(name)))
    for junk in BOILERPLATE:
        assert junk not in text, junk
    assert "Facebook" not in text and "Print" not in text


def test_published_time_is_iso_with_vietnam_offset():
    a = parse_page(page("kiemsat_article.html"), KIEMSAT_URL)
    assert a.published == "2023-11-28T15:42:00+07:00"


def test_published_gmt7_suffix_is_ignored():
    a = parse_page(page("baovephapluat_article.html"))
    assert a.published == "2021-11-16T17:05:00+07:00"


def test_published_in_utc_is_converted_to_vietnam_time():
    html = page("generic_article.html").replace(b"2024-01-16T08:30:00+07:00", b"2024-01-16T01:30:00Z")
    assert parse_page(html).published == "2024-01-16T08:30:00+07:00"


@pytest.mark.parametrize("text, expected", [
    ("28/11/2023 15:42", "2023-11-28T15:42:00+07:00"),
    ("Thứ ba, 28/11/2023 - 15:42", "2023-11-28T15:42:00+07:00"),
    ("15:42 28/11/2023", "2023-11-28T15:42:00+07:00"),
    ("Ngày đăng: 5/1/2024", "2024-01-05"),
    ("ngày 13 tháng 02 năm 2020", "2020-02-13"),
    ("13/02/2020 13:53 (GMT+7)", "2020-02-13T13:53:00+07:00"),
    ("2021-11-16T10:05:00+00:00", "2021-11-16T17:05:00+07:00"),
    ("31/02/2020", None),
    ("không có ngày", None),
])
def test_publication_line_forms(text, expected):
    assert parse_published(text, ("%d/%m/%Y %H:%M",)) == expected


def test_page_is_recognised_by_its_canonical_url_when_no_url_is_given():
    a = parse_page(page("kiemsat_article.html"))
    assert a.site == "kiemsat.vn"
    assert a.url == KIEMSAT_URL


def test_canonical_url_wins_over_the_given_url():
    a = parse_page(page("kiemsat_article.html"), "http://127.0.0.1:8000/x-57666.html")
    assert a.url == KIEMSAT_URL


def test_page_is_recognised_by_markup_when_the_host_is_unknown():
    html = page("kiemsat_article.html").replace(b'<link rel="canonical"', b'<link rel="x"').replace(
        b'property="og:url"', b'property="x"')
    a = parse_page(html, "http://mirror.example/a-1.html")
    assert a.site == "kiemsat.vn"
    assert a.url == "http://mirror.example/a-1.html"
    assert a.captions and a.author == "Minh Triết"


def test_liferay_portal_portlet_titles_separator_and_byline():
    a = parse_page(page("liferay_article.html"), "https://vksdongthap.gov.vn/-/cum-thi-dua-so-10")
    assert a.site == "liferay"
    assert a.title.startswith("Cụm thi đua số 10 ngành kiểm sát")
    assert a.lead.endswith("Hội nghị trù bị...")
    assert a.author == "Minh Triết - Văn phòng tổng hợp"
    assert a.paragraphs[0].startswith("Căn cứ Quy chế phối hợp")
    assert not any(p == a.title for p in a.paragraphs)
    assert a.captions == ["Đồng chí Nguyễn Văn Hồng – Viện trưởng VKSND tỉnh Đồng Tháp phát biểu bế mạc Hội nghị."]


def test_wordpress_portal_share_buttons_end_the_article_and_byline_is_the_author():
    a = parse_page(page("wordpress_article.html"), "https://vksbinhduong.gov.vn/2021/11/cum-thi-dua-so-1/")
    assert a.site == "wordpress"
    assert a.author == "TG"
    assert a.paragraphs[-1].startswith("Các đơn vị trong Cụm thi đua")
    assert a.captions[0].startswith("Đồng chí Nguyễn Quang Dũng")
    assert a.published == "2021-11-16T17:05:00+07:00"


def test_generic_fallback_reads_unknown_news_pages():
    a = parse_page(page("generic_article.html"), "https://example.org/tin/123")
    assert a.site == "generic"
    assert a.title == "Viện KSND huyện Phú Tân ký kết giao ước thi đua năm 2024"
    assert a.lead.startswith("Sáng ngày 16/1")
    assert a.published == "2024-01-16T08:30:00+07:00"
    assert len(a.paragraphs) == 3
    assert a.captions == ["Quang cảnh buổi ký kết"]
    assert "Liên kết" not in a.text() and "Bản quyền" not in a.text()


def test_generic_fallback_without_meta_uses_title_tag_and_p_block():
    html = "<html><head><title>Tin ngắn</title></head><body><div><p>Một.</p><p>Hai câu.</p></div></body></html>"
    a = parse_page(html)
    assert a.title == "Tin ngắn"
    assert a.paragraphs == ["Một.", "Hai câu."]


def test_windows_1258_page_declared_as_utf8_is_decoded_and_composed():
    html = page("kiemsat_article.html").decode("utf-8")
    data = cp1258(html)
    a = parse_page(data, KIEMSAT_URL, content_type="text/html; charset=utf-8")
    assert a.title == "Cụm thi đua số 10 tổng kết công tác thi đua năm 2023"
    assert unicodedata.is_normalized("NFC", a.text())


def test_utf8_page_declared_as_latin1_is_read_as_utf8():
    data = page("kiemsat_article.html").replace(b'<meta charset="utf-8">', b'<meta charset="iso-8859-1">')
    a = parse_page(data, KIEMSAT_URL, content_type="text/html; charset=ISO-8859-1")
    assert a.title == "Cụm thi đua số 10 tổng kết công tác thi đua năm 2023"


def test_latin1_bytes_that_are_not_utf8_fall_back_without_crashing():
    text, enc = decode_html(b"<p>caf\xe9 \x81</p>", "text/html; charset=utf-8")
    assert enc in ("cp1258", "latin-1") and text.startswith("<p>caf")


def test_utf8_bom_wins():
    text, enc = decode_html(b"\xef\xbb\xbf<p>Vi\xe1\xbb\x87t</p>", "text/html; charset=latin-1")
    assert text == "<p>Việt</p>"


def test_nfd_input_is_normalised_to_nfc():
    html = unicodedata.normalize("NFD", page("kiemsat_article.html").decode("utf-8"))
    a = parse_page(html, KIEMSAT_URL)
    assert a.title == "Cụm thi đua số 10 tổng kết công tác thi đua năm 2023"
    assert unicodedata.is_normalized("NFC", a.text())
    assert a.paragraphs == parse_page(page("kiemsat_article.html"), KIEMSAT_URL).paragraphs


def test_whitespace_inside_paragraphs_is_collapsed():
    a = parse_page(page("kiemsat_article.html"), KIEMSAT_URL)
    assert "Viện KSND các tỉnh: Đồng Tháp, Trà Vinh, Vĩnh Long" in a.paragraphs[1]
    assert all("  " not in p and "\n" not in p and "\xa0" not in p for p in a.paragraphs)


def test_inline_markup_does_not_split_words():
    html = "<html><body><h1>T</h1><div><p>Đồng chí <b>Ng</b>uyễn Văn A dự.</p><p>Đoạn hai đủ dài.</p></div></body></html>"
    assert parse_page(html).paragraphs[0] == "Đồng chí Nguyễn Văn A dự."


@pytest.mark.parametrize("html", [
    b"<html><body><div><p>Chi co mot doan <b>khong dong",
    b"<p>Tin</div></span></table><p>mo</td> coi",
    b"\x00\x01<html><p>Noi dung\x00 van doc duoc</p>",
    "<html><body><p>Unpaired \ud800 surrogate text</p></body></html>".encode("utf-8", "surrogatepass"),
])
def test_malformed_html_does_not_crash(html):
    a = parse_page(html, "https://example.org/x")
    assert a.text()


@pytest.mark.parametrize("html", [b"", b"   ", b"<html><head><script>var a=1</script></head><body> </body></html>"])
def test_page_without_text_raises_parse_error_naming_the_input(html):
    with pytest.raises(ParseError, match="https://example.org/empty"):
        parse_page(html, "https://example.org/empty")


def test_explicit_profile_overrides_detection():
    a = parse_page(page("generic_article.html"), KIEMSAT_URL, profile=load_profile("generic"))
    assert a.site == "generic"


def test_body_without_paragraph_tags_is_split_at_line_breaks():
    html = ("<html><body><div class='big_tit'><h1>Tiêu đề</h1></div><div class='noidung'>"
            "Đoạn một của bài.<br><br>Đoạn hai của bài.<div>Đoạn ba.</div></div></body></html>")
    a = parse_page(html, KIEMSAT_URL)
    assert a.paragraphs == ["Đoạn một của bài.", "Đoạn hai của bài.", "Đoạn ba."]


CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.html")), ids=lambda p: p.name)
def test_corpus_pages_parse_with_text_and_no_boilerplate(path):
    a = parse_page(path.read_bytes())
    assert a.title and a.paragraphs and a.published
    assert a.site != "generic"
    assert a.author not in a.paragraphs
    for junk in BOILERPLATE:
        assert junk not in a.text(), junk


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.html")), ids=lambda p: p.name)
def test_corpus_picture_captions_are_not_paragraphs(path):
    a = parse_page(path.read_bytes())
    assert a.captions
    assert not set(a.captions) & set(a.paragraphs)


def test_closing_byline_becomes_the_author_not_a_paragraph():
    path = CORPUS / "bvpl-cum8-so-ket-2023.html"
    if not path.exists():
        pytest.skip("corpus page not present")
    a = parse_page(path.read_bytes())
    assert a.author == "P.V"
    assert "P.V" not in a.paragraphs


try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    _tags = st.sampled_from(["<p>", "</p>", "<div class='noidung'>", "</div>", "<br>", "<table class='imageBox'>",
                             "<p class='PCaption'>", "<h1>", "</h1>", "<!--", "-->", "<script>", "</script>",
                             "<meta charset='windows-1258'>", "&nbsp;", "&#x1EC7;", "<", ">", "\u0301", "\x00"])
    _chunks = st.one_of(_tags, st.text(max_size=20))

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(_chunks, max_size=40), st.booleans())
    def test_any_markup_gives_an_article_or_a_parse_error(chunks, as_bytes):
        html = "".join(chunks)
        data = html.encode("utf-8", "surrogatepass") if as_bytes else html
        try:
            a = parse_page(data, "https://kiemsat.vn/x-1.html")
        except ParseError as exc:
            assert "https://kiemsat.vn/x-1.html" in str(exc)
            return
        assert a.text()
        assert all(p == p.strip() and "  " not in p for p in a.paragraphs)
        assert unicodedata.is_normalized("NFC", a.text())


def test_pages_parse_the_same_when_the_selector_index_cannot_be_used(monkeypatch):
    """parse.py answers selects from an index built on soupsieve's compiled selectors (not a public
    interface); if their form changes, every select falls back to a plain one with the same result."""
    import crawl.parse as parse_mod
    pages = sorted((Path(__file__).resolve().parent.parent / "corpus").glob("*.html"))
    indexed = [parse_page(p.read_bytes(), url=None) for p in pages]

    def changed(part):
        raise AttributeError("'Selector' object has no attribute 'ids'")
    monkeypatch.setattr(parse_mod, "_index_key", changed)
    parse_mod._compile.cache_clear()
    try:
        plain = [parse_page(p.read_bytes(), url=None) for p in pages]
    finally:
        parse_mod._compile.cache_clear()
    assert plain == indexed and all(a.paragraphs for a in plain)
