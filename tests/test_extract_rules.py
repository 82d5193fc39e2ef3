"""Extraction rules on wordings written for these tests (not taken from the gold corpus): each test
pins one way the procuracy's news says a thing."""
from __future__ import annotations

import pytest

from extract import extract_text


def facts(text: str, **kw) -> dict:
    return extract_text(text, **kw).to_record()


def clusters(text: str) -> dict:
    return {(c["kind"], c["number"], c["year"]): c for c in facts(text)["clusters"]}


# ------------------------------------------------------------------ clusters and members
def test_a_department_heads_name_is_not_part_of_the_department_and_his_role_is_its_role():
    text = ("Ngày 6/2/2023, Khối thi đua số 2 VKSND tỉnh Hà Nam (gồm Văn phòng, Phòng Tổ chức cán bộ và Phòng 7) ký "
            "kết giao ước thi đua năm 2023; Trưởng phòng Tổ chức cán bộ Đỗ Văn Nam là Khối phó.")
    assert clusters(text)[("khoi", 2, 2023)]["deputy"] == "Phòng Tổ chức cán bộ"


def test_the_unit_that_organised_with_another_is_the_host():
    text = ("Ngày 9/8/2023, VKSND tỉnh Long An (đơn vị Cụm trưởng) phối hợp với VKSND tỉnh Tiền Giang (đơn vị Cụm "
            "phó) tổ chức Hội thảo về chuyển đổi số.")
    assert facts(text)["event"]["host"] == "Long An"


def test_a_bloc_of_regional_military_procuracies_lists_them_by_number():
    text = ("Ngày 12/12/2024, Khối thi đua các VKSQS khu vực thuộc Quân khu 2 tổng kết năm 2024. Khối thi đua các "
            "VKSQS khu vực thuộc Quân khu 2 gồm: VKSQS khu vực 21, VKSQS khu vực 22 và VKSQS khu vực 23. Hội nghị "
            "đề nghị tặng Bằng khen của Tư lệnh Quân khu 2 cho 2 cá nhân.")
    f = facts(text)
    assert [c["members"] for c in f["clusters"]] == [["khu vực 21", "khu vực 22", "khu vực 23"]]
    assert "Bằng khen của Tư lệnh Quân khu 2" in f["awards"]


def test_a_date_after_a_clusters_number_and_a_comma_is_not_a_documents():
    text = ("Thực hiện Kế hoạch số 05/KH-KTĐ ngày 01/6/2022 của Khối thi đua số 1 VKSND tỉnh Phú Yên, ngày "
            "15/6/2022, Đoàn kiểm tra của Khối đã tiến hành kiểm tra chéo công tác thi đua tại các đơn vị.")
    ev = facts(text)["event"]
    assert (ev["type"], ev["date"]) == ("khac", "2022-06-15")


def test_a_description_between_the_level_and_the_names_is_skipped():
    text = ("Ngày 8/3/2022, Cụm thi đua số 3 gồm VKSND các huyện miền núi Mường Lát, Quan Sơn và Quan Hóa ký kết giao "
            "ước thi đua năm 2022; trong đó Viện trưởng VKSND huyện Quan Sơn chủ trì.")
    assert clusters(text)[("cum", 3, 2022)]["members"] == ["huyện Mường Lát", "huyện Quan Sơn", "huyện Quan Hóa"]


def test_two_clusters_listed_in_one_sentence_keep_their_own_members():
    text = ("Ngày 2/3/2021, các Cụm thi đua cấp huyện ký kết giao ước thi đua năm 2021. Cụm thi đua số 3 gồm VKSND "
            "các huyện Đắk R'lấp, Tuy Đức và Đắk Song; Cụm thi đua số 4 gồm VKSND các huyện Krông Nô, Cư Jút và "
            "Đắk Mil.")
    got = clusters(text)
    assert got[("cum", 3, 2021)]["members"] == ["huyện Đắk R'lấp", "huyện Tuy Đức", "huyện Đắk Song"]
    assert got[("cum", 4, 2021)]["members"] == ["huyện Krông Nô", "huyện Cư Jút", "huyện Đắk Mil"]


def test_a_cluster_named_by_its_region_is_an_unnumbered_cluster():
    text = ("Ngày 11/3/2015, Cụm thi đua các tỉnh Tây Nguyên gồm VKSND 5 tỉnh: Kon Tum, Gia Lai, Đắk Lắk, Đắk Nông "
            "và Lâm Đồng ký kết giao ước thi đua năm 2015.")
    got = clusters(text)[("cum", None, 2015)]
    assert got["members"] == ["Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng"]


def test_an_academic_title_before_a_name_is_not_part_of_it():
    got = facts("Dự Hội nghị có PGS.TS Lê Văn Bình, Viện trưởng Viện Khoa học kiểm sát.")["officials"]
    assert [o["name"] for o in got] == ["Lê Văn Bình"]


def test_military_branches_keep_their_whole_name_and_departments_their_letter():
    text = ("Ngày 20/12/2019, Khối thi đua số 3 gồm VKSQS Quân khu 1, VKSQS Quân khu 2 và VKSQS Quân chủng Phòng "
            "không - Không quân tổng kết năm 2019. Năm 2019, VKSQS Quân chủng Phòng không - Không quân là Khối phó.")
    assert clusters(text)[("khoi", 3, 2019)]["deputy"] == "VKSQS Quân chủng Phòng không - Không quân"
    text = ("Ngày 5/1/2020, Khối các phòng nghiệp vụ VKSND tỉnh Bắc Giang gồm Phòng 1A, Phòng 1B và Phòng 2 ký "
            "kết giao ước thi đua năm 2020.")
    assert clusters(text)[("khoi", None, 2020)]["members"] == ["Phòng 1A", "Phòng 1B", "Phòng 2"]


def test_an_exchange_between_cluster_members_is_an_event_of_another_kind():
    text = ("Ngày 18/7/2022, VKSND huyện Châu Thành – đơn vị Cụm trưởng Cụm thi đua số 2 thuộc VKSND tỉnh Tây "
            "Ninh đã tổ chức giao lưu bóng đá giữa các đơn vị trong Cụm.")
    ev = facts(text)["event"]
    assert (ev["type"], ev["date"]) == ("khac", "2022-07-18")


def test_the_next_years_role_does_not_set_the_year_the_article_is_about():
    text = ("Ngày 14 tháng 12 năm 2018, Cụm thi đua số 4 thuộc VKSND tỉnh Thái Bình họp tại VKSND huyện Vũ Thư. "
            "Hội nghị thống nhất VKSND huyện Kiến Xương làm Cụm trưởng năm 2019.")
    got = clusters(text)
    assert ("cum", 4, 2018) in got and got[("cum", 4, 2019)]["leader"] == "huyện Kiến Xương"


@pytest.mark.parametrize("leader,members", [
    ("Bắc Hà", ["huyện Bắc Hà", "huyện Si Ma Cai", "huyện Mường Khương"]),   # the leader attended: the members
    ("Bảo Thắng", ["huyện Bảo Thắng"]),                                      # guests, not the cluster
])
def test_attendants_are_members_when_the_clusters_leader_is_among_them(leader, members):
    text = ("Sáng 24/11/2023, Cụm thi đua số 3 thuộc VKSND tỉnh Lào Cai tổ chức Hội nghị trù bị tổng kết năm 2023. "
            "Tham dự có lãnh đạo VKSND các huyện Bắc Hà, Si Ma Cai và Mường Khương. "
            f"Năm 2023, VKSND huyện {leader} là Cụm trưởng.")
    assert clusters(text)[("cum", 3, 2023)]["members"] == members


def test_the_press_and_schools_of_the_supreme_procuracy_are_members_by_their_own_names():
    text = ("Ngày 10/12/2023, Khối thi đua số 5 VKSND tối cao tổng kết công tác thi đua năm 2023. Khối gồm Viện "
            "Khoa học kiểm sát, Trường Đào tạo, bồi dưỡng nghiệp vụ kiểm sát tại Thành phố Hồ Chí Minh, Báo Bảo vệ "
            "pháp luật và Tạp chí Kiểm sát. Năm 2023, Báo Bảo vệ pháp luật là đơn vị Khối trưởng.")
    got = clusters(text)[("khoi", 5, 2023)]
    assert got["members"] == ["Viện Khoa học kiểm sát",
                              "Trường Đào tạo, bồi dưỡng nghiệp vụ kiểm sát tại Thành phố Hồ Chí Minh",
                              "Báo Bảo vệ pháp luật", "Tạp chí Kiểm sát"]
    assert got["leader"] == "Báo Bảo vệ pháp luật"


def test_a_district_named_truong_is_not_taken_for_a_school():
    text = ("Ngày 5/3/2023, Cụm thi đua số 2 thuộc VKSND tỉnh Khánh Hòa gồm VKSND các huyện Trường Sa, Vạn Ninh và "
            "Cam Lâm ký kết giao ước thi đua năm 2023.")
    assert clusters(text)[("cum", 2, 2023)]["members"] == ["huyện Trường Sa", "huyện Vạn Ninh", "huyện Cam Lâm"]


def test_a_role_given_in_a_clause_without_subject_belongs_to_the_unit_the_article_is_about():
    text = ("VKSND tỉnh Lai Châu kỷ niệm 30 năm tái lập tỉnh\n\nSáng 10/10/2021, VKSND tỉnh Lai Châu tổ chức lễ kỷ "
            "niệm. Đơn vị nhiều năm được tặng Cờ thi đua của VKSND tối cao; năm 2020 được các đơn vị trong Cụm "
            "bầu làm Cụm trưởng Cụm thi đua số 2.")
    got = clusters(text)
    assert got[("cum", 2, 2020)]["leader"] == "Lai Châu"


def test_a_meeting_in_a_procuracys_meeting_room_is_hosted_by_it():
    text = ("Chiều 2/12/2021, tại phòng họp VKSND tỉnh Ninh Bình, Khối thi đua các phòng nghiệp vụ đã họp bình "
            "xét thi đua năm 2021.")
    assert facts(text)["event"]["host"] == "Ninh Bình"


def test_a_clause_that_opens_with_a_year_gives_the_cluster_that_year_not_the_articles():
    text = ("Ngày 12/01/2024, VKSND tỉnh Phú Thọ tổ chức Hội nghị triển khai công tác năm 2024. Cũng trong "
            "năm 2023, VKSND tỉnh Phú Thọ là Cụm trưởng Cụm thi đua số 3 gồm VKSND các tỉnh Phú Thọ, "
            "Tuyên Quang, Hà Giang và Yên Bái.")
    got = clusters(text)
    assert set(got) == {("cum", 3, 2023)}
    assert got[("cum", 3, 2023)]["leader"] == "Phú Thọ"
    assert got[("cum", 3, 2023)]["members"] == ["Phú Thọ", "Tuyên Quang", "Hà Giang", "Yên Bái"]


def test_a_year_after_the_clusters_parent_is_the_clusters_year():
    text = ("Ngày 10/01/2024, VKSND tỉnh An Giang triển khai công tác năm 2024. VKSND huyện Phú Tân, đơn vị dẫn "
            "đầu Cụm thi đua số 3 thuộc VKSND tỉnh năm 2023, nhận Cờ thi đua của VKSND tối cao.")
    assert ("cum", 3, 2023) in clusters(text)


def test_attendants_the_text_calls_the_members_of_the_cluster_are_members():
    text = ("Ngày 20/11/2022, Cụm thi đua số 5 tổ chức Hội nghị bình xét thi đua năm 2022 tại VKSND tỉnh Quảng Bình. "
            "Tham dự có lãnh đạo VKSND các tỉnh Quảng Trị, Thừa Thiên Huế, Hà Tĩnh – các đơn vị thành viên còn "
            "lại của Cụm. Dự Hội nghị còn có lãnh đạo VKSND tỉnh Nghệ An, khách mời.")
    got = clusters(text)[("cum", 5, 2022)]
    assert got["members"] == ["Quảng Trị", "Thừa Thiên Huế", "Hà Tĩnh"]


def test_departments_of_a_high_level_procuracy_are_named_viện_and_a_number():
    text = ("Ngày 3/12/2024, Khối thi đua số 1 VKSND cấp cao tại Đà Nẵng tổng kết công tác thi đua năm 2024. "
            "Tham dự có lãnh đạo Viện 1, Viện 2 và Viện 4 cùng các đơn vị khác trong Khối. Đồng chí Phan Văn Lộc, "
            "Viện trưởng Viện 4, Khối trưởng điều hành Hội nghị.")
    got = clusters(text)[("khoi", 1, 2024)]
    assert got["members"] == ["Viện 1", "Viện 2", "Viện 4"] and got["leader"] == "Viện 4"


@pytest.mark.parametrize("mention,kind,number", [
    ("Cụm thi đua số 4", "cum", 4), ("Cụm thi đua số IV", "cum", 4), ("Khối thi đua số 02", "khoi", 2),
    ("Cụm số 12", "cum", 12), ("Khối thi đua số III", "khoi", 3), ("Cụm thi đua 9", "cum", 9),
])
def test_cluster_numbers_are_read_in_arabic_and_roman_numerals(mention, kind, number):
    got = clusters(f"Ngày 5/3/2024, {mention} tổ chức Hội nghị ký kết giao ước thi đua năm 2024.")
    assert (kind, number, 2024) in got


def test_members_listed_after_gom_with_a_colon_and_a_dash_in_a_province_name():
    text = ("Cụm thi đua số 4 gồm VKSND các tỉnh: Bình Dương, Bình Phước, Tây Ninh, Đồng Nai, "
            "Bà Rịa – Vũng Tàu và Lâm Đồng vừa tổ chức Hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2022.")
    c = clusters(text)[("cum", 4, 2022)]
    assert c["members"] == ["Bình Dương", "Bình Phước", "Tây Ninh", "Đồng Nai", "Bà Rịa - Vũng Tàu", "Lâm Đồng"]
    assert c["parent"] == "VKSND tối cao"


def test_district_members_take_the_level_written_before_them():
    text = ("Cụm thi đua số 3 của VKSND tỉnh Nghệ An gồm VKSND các huyện Nam Đàn, Hưng Nguyên và thị xã Cửa Lò "
            "đã tổ chức Hội nghị tổng kết công tác thi đua năm 2021.")
    c = clusters(text)[("cum", 3, 2021)]
    assert c["members"] == ["huyện Nam Đàn", "huyện Hưng Nguyên", "thị xã Cửa Lò"]
    assert c["parent"] == "VKSND tỉnh Nghệ An"


def test_a_list_in_parentheses_ends_at_the_closing_parenthesis():
    text = ("Cụm thi đua số 9 (gồm VKSND các tỉnh Bình Thuận, Lâm Đồng, Đắk Nông) tổ chức Hội nghị tổng kết "
            "năm 2023 tại VKSND tỉnh Bình Thuận. VKSND tỉnh Khánh Hòa dự với tư cách khách mời.")
    assert clusters(text)[("cum", 9, 2023)]["members"] == ["Bình Thuận", "Lâm Đồng", "Đắk Nông"]


def test_a_gom_that_lists_topics_is_not_a_member_list():
    text = ("Bản tin ngày 10/3/2025 gồm những nội dung chính sau: VKSND tỉnh Hà Giang tổ chức Hội nghị phổ biến "
            "Thông tư; Cụm thi đua số 2 ký kết giao ước thi đua năm 2025.")
    assert clusters(text)[("cum", 2, 2025)]["members"] == []


# ------------------------------------------------------------------ leaders and deputies
@pytest.mark.parametrize("sentence", [
    "VKSND tỉnh Hà Tĩnh được bầu làm Cụm trưởng, VKSND tỉnh Quảng Bình làm Cụm phó.",
    "VKSND tỉnh Hà Tĩnh giữ vai trò Cụm trưởng; VKSND tỉnh Quảng Bình đảm nhận vai trò Cụm phó.",
    "Cụm trưởng là VKSND tỉnh Hà Tĩnh, Cụm phó là VKSND tỉnh Quảng Bình.",
    "Đồng chủ trì có đồng chí Trần Văn Nam, Viện trưởng VKSND tỉnh Hà Tĩnh, Cụm trưởng và đồng chí Lê Thị Hoa, "
    "Viện trưởng VKSND tỉnh Quảng Bình, Cụm phó.",
    "Đồng chí Trần Văn Nam – Viện trưởng VKSND tỉnh Hà Tĩnh (đơn vị Cụm trưởng) và đồng chí Lê Thị Hoa – "
    "Viện trưởng VKSND tỉnh Quảng Bình (đơn vị Cụm phó) chủ trì Hội nghị.",
    "VKSND tỉnh Hà Tĩnh - Cụm trưởng và VKSND tỉnh Quảng Bình - Cụm phó đồng chủ trì Hội nghị.",
])
def test_leader_and_deputy_are_read_from_the_many_ways_of_saying_it(sentence):
    text = f"Cụm thi đua số 6 tổ chức Hội nghị ký kết giao ước thi đua năm 2021. {sentence}"
    c = clusters(text)[("cum", 6, 2021)]
    assert (c["leader"], c["deputy"]) == ("Hà Tĩnh", "Quảng Bình")
    assert {"Hà Tĩnh", "Quảng Bình"} <= set(c["members"])


def test_next_years_leader_elected_at_a_year_end_meeting_is_a_fact_about_next_year():
    text = ("Ngày 15/12/2022, Cụm thi đua số 5 tổ chức Hội nghị tổng kết công tác thi đua năm 2022 tại VKSND tỉnh "
            "Kon Tum (đơn vị Cụm trưởng năm 2022). Hội nghị đã bầu VKSND tỉnh Gia Lai làm Cụm trưởng năm 2023.")
    got = clusters(text)
    assert got[("cum", 5, 2022)]["leader"] == "Kon Tum"
    assert got[("cum", 5, 2023)]["leader"] == "Gia Lai"


def test_the_leader_of_a_bloc_of_departments_is_the_department_its_head_runs():
    text = ("Khối thi đua số 1 VKSND tỉnh Long An gồm: Phòng 1, Phòng 2 và Văn phòng tổng hợp ký kết giao ước thi đua "
            "năm 2023. Đồng chí Phạm Văn Tư, Trưởng phòng 2, Khối trưởng phát biểu.")
    c = clusters(text)[("khoi", 1, 2023)]
    assert c["leader"] == "Phòng 2"
    assert c["parent"] == "VKSND tỉnh Long An"


def test_a_role_in_parentheses_after_a_non_head_belongs_to_the_unit_not_the_person():
    text = ("Cụm thi đua số 10 tổ chức Hội nghị trù bị năm 2023. Đồng chí Lê Văn Tám - Chánh Văn phòng VKSND "
            "tỉnh Vĩnh Long (Cụm trưởng) báo cáo tóm tắt.")
    r = facts(text)
    assert r["clusters"][0]["leader"] == "Vĩnh Long"
    assert r["officials"] == [{"name": "Lê Văn Tám", "title": "Chánh Văn phòng VKSND tỉnh Vĩnh Long", "cluster_role": None}]


# ------------------------------------------------------------------ officials
@pytest.mark.parametrize("sentence,name,title", [
    ("Phó Viện trưởng VKSND tối cao Nguyễn Huy Tiến dự và chỉ đạo Hội nghị.", "Nguyễn Huy Tiến",
     "Phó Viện trưởng VKSND tối cao"),
    ("Dự Hội nghị có đồng chí Hoàng Văn Hùng, Vụ trưởng Vụ Thi đua – Khen thưởng VKSND tối cao.", "Hoàng Văn Hùng",
     "Vụ trưởng Vụ Thi đua – Khen thưởng VKSND tối cao"),
    ("Ông Đỗ Minh Châu (Viện trưởng VKSND tỉnh Bà Rịa – Vũng Tàu) phát biểu.", "Đỗ Minh Châu",
     "Viện trưởng VKSND tỉnh Bà Rịa – Vũng Tàu"),
    ("Đ/c Thiếu tướng Vũ Quang Huy, Phó Viện trưởng VKSQS Trung ương phát biểu.", "Vũ Quang Huy",
     "Phó Viện trưởng VKSQS Trung ương"),
])
def test_officials_are_read_with_the_position_written_next_to_them(sentence, name, title):
    offs = facts(f"Hội nghị tổng kết năm 2023. {sentence}")["officials"]
    assert {"name": name, "title": title, "cluster_role": None} in offs


def test_one_position_shared_by_a_list_of_names():
    text = "Tham dự có các đồng chí Phó Viện trưởng VKSND tỉnh: Lý Văn Hai, Đinh Thị Ba và Tạ Quang Bốn."
    offs = facts(text)["officials"]
    assert [o["name"] for o in offs] == ["Lý Văn Hai", "Đinh Thị Ba", "Tạ Quang Bốn"]
    assert {o["title"] for o in offs} == {"Phó Viện trưởng VKSND tỉnh"}


def test_bylines_slogans_and_names_of_things_are_not_officials():
    text = ("Hội nghị phát động phong trào “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh” "
            "theo lời dạy của Chủ tịch Hồ Chí Minh.\n\nNguyễn Minh - Văn phòng tổng hợp")
    assert facts(text)["officials"] == []


# ------------------------------------------------------------------ dates, event
def test_dates_take_the_year_from_the_article_when_it_is_not_written():
    r = facts("Sáng ngày 16/1, VKSND tỉnh Hà Nam tổ chức Hội nghị triển khai công tác năm 2024. "
              "Kế hoạch số 12/KH-VKS ngày 05/01/2024 đã được ban hành.")
    assert r["dates"] == ["2024-01-05", "2024-01-16"]
    assert r["event"] == {"type": "trien_khai", "date": "2024-01-16", "host": "Hà Nam"}


def test_a_december_meeting_that_launches_next_years_work_is_dated_in_the_year_before():
    r = facts("Ngày 20/12, VKSND tối cao tổ chức Hội nghị triển khai công tác năm 2025. Năm 2024, toàn Ngành "
              "đã hoàn thành các chỉ tiêu.")
    assert r["event"]["date"] == "2024-12-20"


def test_a_document_date_is_not_the_event_date():
    r = facts("Thực hiện Công văn số 4800/VKSTC-V16 ngày 07/11/2023 về hướng dẫn tổng kết, chiều ngày 28/11/2023, "
              "tại VKSND tỉnh Bến Tre, Cụm thi đua số 10 tổ chức Hội nghị tổng kết năm 2023.")
    assert r["event"] == {"type": "tong_ket", "date": "2023-11-28", "host": "Bến Tre"}
    assert r["dates"] == ["2023-11-07", "2023-11-28"]


@pytest.mark.parametrize("title,etype", [
    ("Cụm thi đua số 3 tổ chức Hội nghị trù bị tổng kết công tác thi đua năm 2022", "tru_bi"),
    ("VKSND tỉnh Cà Mau sơ kết công tác thi đua 6 tháng đầu năm 2023", "so_ket"),
    ("Cụm thi đua số 1 tổng kết năm 2023 và ký kết giao ước thi đua năm 2024", "tong_ket"),
    ("VKSND tỉnh Sơn La đón nhận Huân chương Lao động hạng Nhì", "khen_thuong"),
    ("Khối thi đua số 2 họp bình xét thi đua năm 2023", "binh_xet"),
    ("Hội nghị phổ biến Luật Thi đua, khen thưởng; sau đó tổng kết phong trào", "khac"),
])
def test_event_type_is_the_first_kind_of_meeting_named_in_the_title(title, etype):
    r = facts(f"{title}\n\nNội dung bài viết về hội nghị của các đơn vị.", title=title)
    assert r["event"]["type"] == etype


def test_an_article_about_a_dispatch_reports_no_event():
    r = facts("VKSND tối cao vừa có công văn gửi các đơn vị về việc tổ chức Hội nghị điển hình tiên tiến.")
    assert r["event"] is None


# ------------------------------------------------------------------ slogans, awards, provinces
def test_slogans_are_quoted_movements_and_mottos_not_awards_or_documents():
    text = ("Các đơn vị thực hiện phương châm “Đoàn kết, kỷ cương, trách nhiệm, hiệu quả” và hưởng ứng phong trào "
            "thi đua \"Chung tay xây dựng văn hóa công sở\", “Vì người nghèo”; xây dựng “Bảng chấm điểm thi đua”. "
            "Đơn vị được đề nghị tặng danh hiệu “Tập thể lao động xuất sắc”.")
    r = facts(text)
    assert r["slogans"] == ["Đoàn kết, kỷ cương, trách nhiệm, hiệu quả", "Chung tay xây dựng văn hóa công sở",
                            "Vì người nghèo"]
    assert r["awards"] == ["Tập thể lao động xuất sắc"]


@pytest.mark.parametrize("written,canonical", [
    ("Cờ thi đua Chính phủ", "Cờ thi đua của Chính phủ"),
    ("Cờ thi đua của ngành KSND", "Cờ thi đua ngành Kiểm sát nhân dân"),
    ("Huân chương lao động hạng III", "Huân chương Lao động hạng Ba"),
    ("Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao", "Bằng khen của Viện trưởng VKSND tối cao"),
    ("danh hiệu Chiến sĩ thi đua toàn quốc", "Chiến sĩ thi đua toàn quốc"),
    ("Kỷ niệm chương “Vì sự nghiệp Kiểm sát”", "Kỷ niệm chương Vì sự nghiệp Kiểm sát"),
])
def test_award_titles_are_canonicalised_through_the_award_table(written, canonical):
    assert facts(f"Năm 2023, đơn vị được tặng {written}.")["awards"] == [canonical]


def test_provinces_are_canonical_and_uncle_ho_is_not_a_city():
    text = ("Đoàn công tác của VKSND TP.HCM, VKSND tỉnh Thanh Hoá và VKSND tỉnh Đăk Nông học tập tư tưởng Hồ Chí Minh; "
            "thành phố Huế đăng cai.")
    assert facts(text)["provinces"] == ["Hồ Chí Minh", "Thanh Hóa", "Đắk Nông", "Thừa Thiên Huế"]
