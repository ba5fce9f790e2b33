#!/usr/bin/env python3
"""Build data/regions.csv, data/pairings.csv and data/aid_figures.csv from the research notes.

Maintainer tool: the committed CSVs are the source of truth, this script documents how they were made
and, rerun on the same inputs, reproduces them byte for byte (tests/test_build_pairing_tables in
tests/test_pairings.py checks this when the notes are present). It reads

* the research notes (pair files and aid_figures.csv) in the folder given by --facts. The notes are NOT
  part of the repository (maintainers keep them beside the checkout, e.g. ../shared/reference/facts);
  their README's source rules are binding: no mirror link is ever published, confidence is never raised
  without a source read;
* the project's curation tables in the repository: data/curation/sources.csv (one row per source:
  citation, kind, URL on a vetted host or none), data/source_hosts.csv (hosts that may be linked) and
  data/place_names.csv (earlier names and levels of units, by period);
* cpca 0.5.5's adcodes.csv (MIT; 12-digit GB/T 2260 codes, of which the first 6 digits are used),

applies the explicit tables of normalisations, splits, windows, status and confidence changes below,
checks the result and writes the three CSVs deterministically. Any name that cannot be resolved to
exactly one code, any source without a row in sources.csv, any link to an unvetted host, a status that
contradicts valid_to, or a unit that did not exist in the year a pair began stops the build.

Usage (from the repository root):
    .venv/bin/python scripts/build_pairing_tables.py --facts DIR [--adcodes FILE] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from pairing_assistance.places import Places  # noqa: E402  (pure Python; shared with the loader)
def _cpca_adcodes() -> Path:
    """adcodes.csv inside the installed cpca package (pip install -r requirements-maintainer.txt)."""
    try:
        import importlib.util
        spec = importlib.util.find_spec("cpca")
        if spec and spec.origin:
            return Path(spec.origin).parent / "resources" / "adcodes.csv"
    except ImportError:
        pass
    return Path("cpca/resources/adcodes.csv")


DEFAULT_ADCODES = _cpca_adcodes()
CPCA_SOURCE = "cpca 0.5.5 adcodes (GB/T 2260)"
XPCC_SOURCE = "XPCC division; project code (divisions have no GB/T 2260 code of their own)"


class BuildError(RuntimeError):
    """Raised for anything the build must not paper over (unresolved names, overlaps, bad links)."""


def fail(message: str) -> None:
    raise BuildError(message)


# ---------------------------------------------------------------------------------------------------
# 1. Province-level units: English name, pinyin, NBS four-region group (names come from cpca).
# ---------------------------------------------------------------------------------------------------
PROVINCES = {
    # code: (name_en, name_pinyin, region_group)
    "110000": ("Beijing", "Beijing Shi", "east"),
    "120000": ("Tianjin", "Tianjin Shi", "east"),
    "130000": ("Hebei", "Hebei Sheng", "east"),
    "140000": ("Shanxi", "Shanxi Sheng", "central"),
    "150000": ("Inner Mongolia", "Nei Menggu Zizhiqu", "west"),
    "210000": ("Liaoning", "Liaoning Sheng", "northeast"),
    "220000": ("Jilin", "Jilin Sheng", "northeast"),
    "230000": ("Heilongjiang", "Heilongjiang Sheng", "northeast"),
    "310000": ("Shanghai", "Shanghai Shi", "east"),
    "320000": ("Jiangsu", "Jiangsu Sheng", "east"),
    "330000": ("Zhejiang", "Zhejiang Sheng", "east"),
    "340000": ("Anhui", "Anhui Sheng", "central"),
    "350000": ("Fujian", "Fujian Sheng", "east"),
    "360000": ("Jiangxi", "Jiangxi Sheng", "central"),
    "370000": ("Shandong", "Shandong Sheng", "east"),
    "410000": ("Henan", "Henan Sheng", "central"),
    "420000": ("Hubei", "Hubei Sheng", "central"),
    "430000": ("Hunan", "Hunan Sheng", "central"),
    "440000": ("Guangdong", "Guangdong Sheng", "east"),
    "450000": ("Guangxi", "Guangxi Zhuangzu Zizhiqu", "west"),
    "460000": ("Hainan", "Hainan Sheng", "east"),
    "500000": ("Chongqing", "Chongqing Shi", "west"),
    "510000": ("Sichuan", "Sichuan Sheng", "west"),
    "520000": ("Guizhou", "Guizhou Sheng", "west"),
    "530000": ("Yunnan", "Yunnan Sheng", "west"),
    "540000": ("Tibet (Xizang)", "Xizang Zizhiqu", "west"),
    "610000": ("Shaanxi", "Shaanxi Sheng", "west"),  # conventional spelling Shaanxi, distinct from Shanxi
    "620000": ("Gansu", "Gansu Sheng", "west"),
    "630000": ("Qinghai", "Qinghai Sheng", "west"),
    "640000": ("Ningxia", "Ningxia Huizu Zizhiqu", "west"),
    "650000": ("Xinjiang", "Xinjiang Weiwu'er Zizhiqu", "west"),
    "710000": ("Taiwan", "Taiwan Sheng", "other"),
    "810000": ("Hong Kong", "Xianggang Tebie Xingzhengqu", "other"),
    "820000": ("Macao", "Aomen Tebie Xingzhengqu", "other"),
}
GROUP_COUNTS = {"east": 10, "central": 6, "west": 12, "northeast": 3, "other": 3}

# ---------------------------------------------------------------------------------------------------
# 2. Lower units used in the pairings (and their parent prefectures): English name and pinyin.
#    The build fails if a unit it needs is missing here. Chinese names and codes come from cpca.
# ---------------------------------------------------------------------------------------------------
UNIT_NAMES = {
    # Beijing districts (county level)
    "110102": ("Xicheng District", "Xicheng Qu"),
    "110105": ("Chaoyang District", "Chaoyang Qu"),
    "110106": ("Fengtai District", "Fengtai Qu"),
    "110107": ("Shijingshan District", "Shijingshan Qu"),
    "110111": ("Fangshan District", "Fangshan Qu"),
    "110112": ("Tongzhou District", "Tongzhou Qu"),
    "110113": ("Shunyi District", "Shunyi Qu"),
    "110114": ("Changping District", "Changping Qu"),
    "110116": ("Huairou District", "Huairou Qu"),
    "110117": ("Pinggu District", "Pinggu Qu"),
    "110118": ("Miyun District", "Miyun Qu"),
    # Hebei
    "130600": ("Baoding", "Baoding Shi"),
    "130700": ("Zhangjiakou", "Zhangjiakou Shi"),
    "130800": ("Chengde", "Chengde Shi"),
    # Shanxi
    "140400": ("Changzhi", "Changzhi Shi"),
    # Liaoning
    "210100": ("Shenyang", "Shenyang Shi"),
    "210200": ("Dalian", "Dalian Shi"),
    # Jilin
    "220100": ("Changchun", "Changchun Shi"),
    "220200": ("Jilin City", "Jilin Shi"),
    "220300": ("Siping", "Siping Shi"),
    "220500": ("Tonghua", "Tonghua Shi"),
    "220581": ("Meihekou", "Meihekou Shi"),
    "220600": ("Baishan", "Baishan Shi"),
    "222400": ("Yanbian Korean Autonomous Prefecture", "Yanbian Chaoxianzu Zizhizhou"),
    # Heilongjiang
    "230100": ("Harbin", "Ha'erbin Shi"),
    "230200": ("Qiqihar", "Qiqiha'er Shi"),
    "230400": ("Hegang", "Hegang Shi"),
    "230800": ("Jiamusi", "Jiamusi Shi"),
    "230900": ("Qitaihe", "Qitaihe Shi"),
    "231100": ("Heihe", "Heihe Shi"),
    # Shanghai districts
    "310112": ("Minhang District", "Minhang Qu"),
    "310117": ("Songjiang District", "Songjiang Qu"),
    "310120": ("Fengxian District", "Fengxian Qu"),
    # Jiangsu
    "320100": ("Nanjing", "Nanjing Shi"),
    "320200": ("Wuxi", "Wuxi Shi"),
    "320300": ("Xuzhou", "Xuzhou Shi"),
    "320500": ("Suzhou (Jiangsu)", "Suzhou Shi"),
    # Zhejiang
    "330100": ("Hangzhou", "Hangzhou Shi"),
    "330200": ("Ningbo", "Ningbo Shi"),
    "330300": ("Wenzhou", "Wenzhou Shi"),
    "330500": ("Huzhou", "Huzhou Shi"),
    "330700": ("Jinhua", "Jinhua Shi"),
    "331100": ("Lishui", "Lishui Shi"),
    # Anhui
    "340300": ("Bengbu", "Bengbu Shi"),
    "340400": ("Huainan", "Huainan Shi"),
    "340600": ("Huaibei", "Huaibei Shi"),
    "341100": ("Chuzhou", "Chuzhou Shi"),
    "341200": ("Fuyang", "Fuyang Shi"),
    "341300": ("Suzhou (Anhui)", "Suzhou Shi"),
    "341500": ("Lu'an", "Lu'an Shi"),
    "341600": ("Bozhou", "Bozhou Shi"),
    # Fujian
    "350100": ("Fuzhou", "Fuzhou Shi"),
    "350200": ("Xiamen", "Xiamen Shi"),
    "350400": ("Sanming", "Sanming Shi"),
    "350800": ("Longyan", "Longyan Shi"),
    # Jiangxi
    "360700": ("Ganzhou", "Ganzhou Shi"),
    "360800": ("Ji'an", "Ji'an Shi"),
    # Shandong
    "370100": ("Jinan", "Jinan Shi"),
    "370200": ("Qingdao", "Qingdao Shi"),
    "371300": ("Linyi", "Linyi Shi"),
    # Henan
    "411500": ("Xinyang", "Xinyang Shi"),
    # Hubei
    "420200": ("Huangshi", "Huangshi Shi"),
    "420300": ("Shiyan", "Shiyan Shi"),
    "420500": ("Yichang", "Yichang Shi"),
    "420506": ("Yiling District", "Yiling Qu"),
    "420526": ("Xingshan County", "Xingshan Xian"),
    "420527": ("Zigui County", "Zigui Xian"),
    "420600": ("Xiangyang", "Xiangyang Shi"),
    "420700": ("Ezhou", "Ezhou Shi"),
    "420800": ("Jingmen", "Jingmen Shi"),
    "420900": ("Xiaogan", "Xiaogan Shi"),
    "421000": ("Jingzhou", "Jingzhou Shi"),
    "421100": ("Huanggang", "Huanggang Shi"),
    "421200": ("Xianning", "Xianning Shi"),
    "421300": ("Suizhou", "Suizhou Shi"),
    "422800": ("Enshi Tujia and Miao Autonomous Prefecture", "Enshi Tujiazu Miaozu Zizhizhou"),
    "422823": ("Badong County", "Badong Xian"),
    "429004": ("Xiantao", "Xiantao Shi"),
    "429005": ("Qianjiang", "Qianjiang Shi"),
    "429006": ("Tianmen", "Tianmen Shi"),
    "429021": ("Shennongjia Forestry District", "Shennongjia Linqu"),
    # Hunan
    "430800": ("Zhangjiajie", "Zhangjiajie Shi"),
    "431000": ("Chenzhou", "Chenzhou Shi"),
    "433100": ("Xiangxi Tujia and Miao Autonomous Prefecture", "Xiangxi Tujiazu Miaozu Zizhizhou"),
    # Guangdong
    "440100": ("Guangzhou", "Guangzhou Shi"),
    "440300": ("Shenzhen", "Shenzhen Shi"),
    "440400": ("Zhuhai", "Zhuhai Shi"),
    "440500": ("Shantou", "Shantou Shi"),
    "440600": ("Foshan", "Foshan Shi"),
    "440700": ("Jiangmen", "Jiangmen Shi"),
    "441400": ("Meizhou", "Meizhou Shi"),
    "441500": ("Shanwei", "Shanwei Shi"),
    "441900": ("Dongguan", "Dongguan Shi"),
    "442000": ("Zhongshan", "Zhongshan Shi"),
    # Guangxi
    "451000": ("Baise", "Baise Shi"),
    # Chongqing
    "500101": ("Wanzhou District", "Wanzhou Qu"),
    "500102": ("Fuling District", "Fuling Qu"),
    "500230": ("Fengdu County", "Fengdu Xian"),
    "500235": ("Yunyang County", "Yunyang Xian"),
    "500237": ("Wushan County", "Wushan Xian"),
    # Sichuan
    "510100": ("Chengdu", "Chengdu Shi"),
    "510115": ("Wenjiang District", "Wenjiang Qu"),
    "510124": ("Pi County", "Pi Xian"),
    "510129": ("Dayi County", "Dayi Xian"),
    "510181": ("Dujiangyan", "Dujiangyan Shi"),
    "510182": ("Pengzhou", "Pengzhou Shi"),
    "510184": ("Chongzhou", "Chongzhou Shi"),
    "510600": ("Deyang", "Deyang Shi"),
    "510682": ("Shifang", "Shifang Shi"),
    "510683": ("Mianzhu", "Mianzhu Shi"),
    "510700": ("Mianyang", "Mianyang Shi"),
    "510705": ("Anzhou District", "Anzhou Qu"),
    "510726": ("Beichuan Qiang Autonomous County", "Beichuan Qiangzu Zizhixian"),
    "510727": ("Pingwu County", "Pingwu Xian"),
    "510781": ("Jiangyou", "Jiangyou Shi"),
    "510800": ("Guangyuan", "Guangyuan Shi"),
    "510822": ("Qingchuan County", "Qingchuan Xian"),
    "510823": ("Jiange County", "Jiange Xian"),
    "511800": ("Ya'an", "Ya'an Shi"),
    "511823": ("Hanyuan County", "Hanyuan Xian"),
    "511827": ("Baoxing County", "Baoxing Xian"),
    "511900": ("Bazhong", "Bazhong Shi"),
    "513200": ("Ngawa Tibetan and Qiang Autonomous Prefecture", "Aba Zangzu Qiangzu Zizhizhou"),
    "513221": ("Wenchuan County", "Wenchuan Xian"),
    "513222": ("Li County", "Li Xian"),
    "513223": ("Mao County", "Mao Xian"),
    "513224": ("Songpan County", "Songpan Xian"),
    "513227": ("Xiaojin County", "Xiaojin Xian"),
    "513228": ("Heishui County", "Heishui Xian"),
    "513300": ("Garze Tibetan Autonomous Prefecture", "Ganzi Zangzu Zizhizhou"),
    "513400": ("Liangshan Yi Autonomous Prefecture", "Liangshan Yizu Zizhizhou"),
    # Guizhou
    "520200": ("Liupanshui", "Liupanshui Shi"),
    "520300": ("Zunyi", "Zunyi Shi"),
    "520400": ("Anshun", "Anshun Shi"),
    "520500": ("Bijie", "Bijie Shi"),
    "520600": ("Tongren", "Tongren Shi"),
    "522300": ("Qianxinan Buyei and Miao Autonomous Prefecture", "Qianxinan Buyizu Miaozu Zizhizhou"),
    "522600": ("Qiandongnan Miao and Dong Autonomous Prefecture", "Qiandongnan Miaozu Dongzu Zizhizhou"),
    "522700": ("Qiannan Buyei and Miao Autonomous Prefecture", "Qiannan Buyizu Miaozu Zizhizhou"),
    # Yunnan
    "530600": ("Zhaotong", "Zhaotong Shi"),
    "533300": ("Nujiang Lisu Autonomous Prefecture", "Nujiang Lisuzu Zizhizhou"),
    # Tibet
    "540100": ("Lhasa", "Lasa Shi"),
    "540200": ("Shigatse", "Rikaze Shi"),
    "540300": ("Chamdo", "Changdu Shi"),
    "540400": ("Nyingchi", "Linzhi Shi"),
    "540500": ("Shannan (Lhoka)", "Shannan Shi"),
    "542400": ("Nagqu", "Naqu Diqu"),
    "542500": ("Ngari Prefecture", "Ali Diqu"),
    # Shaanxi
    "610600": ("Yan'an", "Yan'an Shi"),
    # Gansu
    "621000": ("Qingyang", "Qingyang Shi"),
    "621100": ("Dingxi", "Dingxi Shi"),
    "621200": ("Longnan", "Longnan Shi"),
    "622900": ("Linxia Hui Autonomous Prefecture", "Linxia Huizu Zizhizhou"),
    "623000": ("Gannan Tibetan Autonomous Prefecture", "Gannan Zangzu Zizhizhou"),
    # Qinghai
    "630100": ("Xining", "Xining Shi"),
    "630200": ("Haidong", "Haidong Shi"),
    "632200": ("Haibei Tibetan Autonomous Prefecture", "Haibei Zangzu Zizhizhou"),
    "632300": ("Huangnan Tibetan Autonomous Prefecture", "Huangnan Zangzu Zizhizhou"),
    "632500": ("Hainan Tibetan Autonomous Prefecture", "Hainan Zangzu Zizhizhou"),
    "632600": ("Golog Tibetan Autonomous Prefecture", "Guoluo Zangzu Zizhizhou"),
    "632700": ("Yushu Tibetan Autonomous Prefecture", "Yushu Zangzu Zizhizhou"),
    "632701": ("Yushu City", "Yushu Shi"),
    "632722": ("Zadoi County", "Zaduo Xian"),
    "632723": ("Chindu County", "Chenduo Xian"),
    "632724": ("Zhidoi County", "Zhiduo Xian"),
    "632725": ("Nangqen County", "Nangqian Xian"),
    "632726": ("Qumarleb County", "Qumalai Xian"),
    "632800": ("Haixi Mongol and Tibetan Autonomous Prefecture", "Haixi Mengguzu Zangzu Zizhizhou"),
    # Xinjiang
    "650400": ("Turpan", "Tulufan Shi"),
    "650500": ("Hami (Kumul)", "Hami Shi"),
    "652300": ("Changji Hui Autonomous Prefecture", "Changji Huizu Zizhizhou"),
    "652302": ("Fukang", "Fukang Shi"),
    "652700": ("Bortala Mongol Autonomous Prefecture", "Bo'ertala Menggu Zizhizhou"),
    "652800": ("Bayingolin Mongol Autonomous Prefecture", "Bayinguoleng Menggu Zizhizhou"),
    "652900": ("Aksu Prefecture", "Akesu Diqu"),
    "653000": ("Kizilsu Kirghiz Autonomous Prefecture", "Kezilesu Ke'erkezi Zizhizhou"),
    "653001": ("Artux", "Atushi Shi"),
    "653022": ("Akto County", "Aketao Xian"),
    "653023": ("Akqi County", "Aheqi Xian"),
    "653024": ("Ulugqat County", "Wuqia Xian"),
    "653100": ("Kashgar Prefecture", "Kashi Diqu"),
    "653101": ("Kashgar", "Kashi Shi"),
    "653121": ("Shufu County", "Shufu Xian"),
    "653122": ("Shule County", "Shule Xian"),
    "653123": ("Yengisar County", "Yingjisha Xian"),
    "653124": ("Poskam (Zepu) County", "Zepu Xian"),
    "653125": ("Yarkant (Shache) County", "Shache Xian"),
    "653126": ("Kargilik (Yecheng) County", "Yecheng Xian"),
    "653127": ("Makit County", "Maigaiti Xian"),
    "653128": ("Yopurga County", "Yuepuhu Xian"),
    "653129": ("Peyziwat (Jiashi) County", "Jiashi Xian"),
    "653130": ("Maralbexi (Bachu) County", "Bachu Xian"),
    "653131": ("Taxkorgan Tajik Autonomous County", "Tashenkuergan Tajike Zizhixian"),
    "653200": ("Hotan Prefecture", "Hetian Diqu"),
    "653201": ("Hotan", "Hetian Shi"),
    "653221": ("Hotan County", "Hetian Xian"),
    "653222": ("Karakax (Moyu) County", "Moyu Xian"),
    "653223": ("Guma (Pishan) County", "Pishan Xian"),
    "653224": ("Lop (Luopu) County", "Luopu Xian"),
    "653225": ("Qira (Cele) County", "Cele Xian"),
    "653226": ("Keriya (Yutian) County", "Yutian Xian"),
    "653227": ("Niya (Minfeng) County", "Minfeng Xian"),
    "654000": ("Ili Kazakh Autonomous Prefecture", "Yili Hasake Zizhizhou"),
    "654002": ("Yining (Ghulja)", "Yining Shi"),
    "654003": ("Kuytun", "Kuitun Shi"),
    "654021": ("Yining County", "Yining Xian"),
    "654022": ("Qapqal Xibe Autonomous County", "Chabucha'er Xibo Zizhixian"),
    "654023": ("Huocheng County", "Huocheng Xian"),
    "654024": ("Gongliu County", "Gongliu Xian"),
    "654025": ("Xinyuan County", "Xinyuan Xian"),
    "654026": ("Zhaosu County", "Zhaosu Xian"),
    "654027": ("Tekes County", "Tekesi Xian"),
    "654028": ("Nilka County", "Nileke Xian"),
    "654200": ("Tacheng Prefecture", "Tacheng Diqu"),
    "654300": ("Altay Prefecture", "Aletai Diqu"),
    "654301": ("Altay", "Aletai Shi"),
    "654321": ("Burqin County", "Bu'erjin Xian"),
    "654322": ("Fuyun County", "Fuyun Xian"),
    "654323": ("Fuhai County", "Fuhai Xian"),
    "654324": ("Habahe County", "Habahe Xian"),
    "654325": ("Qinggil (Qinghe) County", "Qinghe Xian"),
    "654326": ("Jeminay County", "Jimunai Xian"),
}

# XPCC divisions: number -> Chinese ordinal (name_zh 新疆生产建设兵团第X师).
XPCC_ORDINALS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十",
                 11: "十一", 12: "十二", 13: "十三", 14: "十四"}
XPCC_PINYIN = {1: "Yi", 2: "Er", 3: "San", 4: "Si", 5: "Wu", 6: "Liu", 7: "Qi", 8: "Ba", 9: "Jiu", 10: "Shi",
               11: "Shiyi", 12: "Shi'er", 13: "Shisan", 14: "Shisi"}
XPCC_EN_ORD = {1: "1st", 2: "2nd", 3: "3rd"}
# Division seats named in the research notes (only these; the code is looked up in cpca where it exists).
XPCC_SEATS = {1: "阿拉尔市", 2: "铁门关市", 3: "图木舒克市", 5: "双河市", 6: "五家渠市", 8: "石河子市",
              10: "北屯市", 13: "新星市", 14: "昆玉市"}

# ---------------------------------------------------------------------------------------------------
# 3. Name normalisations. Each entry: how a source names a unit -> the name cpca uses today.
#    Historic names stay in the pairing rows (names as in the source); the code is today's unit and
#    regions.csv says the historic name (REGION_NOTES).
# ---------------------------------------------------------------------------------------------------
SHORT_PROVINCE_NAMES = {
    # The May 2008 MoCA notice and several reports use short forms: obvious variants, expanded.
    "北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "河北": "河北省", "山西": "山西省",
    "内蒙古": "内蒙古自治区", "辽宁": "辽宁省", "吉林": "吉林省", "黑龙江": "黑龙江省", "江苏": "江苏省",
    "浙江": "浙江省", "安徽": "安徽省", "福建": "福建省", "江西": "江西省", "山东": "山东省", "河南": "河南省",
    "湖北": "湖北省", "湖南": "湖南省", "广东": "广东省", "广西": "广西壮族自治区", "海南": "海南省",
}
LOOKUP_ALIASES = {
    # source name -> cpca name                     why
    "那曲市": "那曲地区",          # cpca 0.5.5 predates 那曲地区→那曲市; code 542400 as listed there
    "北川县": "北川羌族自治县",    # common short form of the autonomous county
    "安县": "安州区",              # 安县 became 安州区 of 绵阳市
    "通县": "通州区",              # 1992 name of Beijing's 通州区
    "顺义县": "顺义区",
    "昌平县": "昌平区",
    "平谷县": "平谷区",
    "密云县": "密云区",
    "宜昌县": "夷陵区",            # 1992 name (source: '宜昌县(今夷陵区)')
    "万县市": "万州区",            # 1992 四川省万县市, today 重庆市万州区
    "涪陵市": "涪陵区",            # 1992 四川省涪陵市, today 重庆市涪陵区
    "哈密地区": "哈密市",          # 2010 name; prefecture-level city since (code 650500 in cpca)
    "吐鲁番地区": "吐鲁番市",      # 2010 name; prefecture-level city since (code 650400 in cpca)
    "克孜勒苏州": "克孜勒苏柯尔克孜自治州",
    "昌吉州": "昌吉回族自治州",
    "甘肃省受灾严重地区": "甘肃省",  # the June 2008 plan names no unit below the province
    "陕西省受灾严重地区": "陕西省",
    "甘南市": "甘南藏族自治州",    # the May 2008 notice says '甘南市' (no such city); see the row's note
}

# Compound or decorated party strings in the notes -> one (name, cpca lookup name or XPCC number) per unit.
# name is what the table shows (as in the source, decorations removed).
SPLITS = {
    # Xinjiang 2010
    "和田地区: 和田市、和田县、墨玉县、洛浦县": ["和田市", "和田县", "墨玉县", "洛浦县"],
    "和田地区: 策勒县、于田县、民丰县": ["策勒县", "于田县", "民丰县"],
    "和田地区: 皮山县": ["皮山县"],
    "喀什地区: 莎车县、泽普县、叶城县、巴楚县": ["莎车县", "泽普县", "叶城县", "巴楚县"],
    "喀什地区: 疏附县、伽师县": ["疏附县", "伽师县"],
    "喀什地区: 喀什市、塔什库尔干塔吉克自治县": ["喀什市", "塔什库尔干塔吉克自治县"],
    "喀什地区: 疏勒县、英吉沙县、麦盖提县、岳普湖县": ["疏勒县", "英吉沙县", "麦盖提县", "岳普湖县"],
    "克孜勒苏州: 阿图什市、乌恰县、阿合奇县": ["阿图什市", "乌恰县", "阿合奇县"],
    "克孜勒苏州: 阿克陶县": ["阿克陶县"],
    "昌吉州: 阜康市": ["阜康市"],
    "阿勒泰地区: 阿勒泰市、布尔津县、哈巴河县、吉木乃县": ["阿勒泰市", "布尔津县", "哈巴河县", "吉木乃县"],
    "阿勒泰地区: 福海县、富蕴县、青河县": ["福海县", "富蕴县", "青河县"],
    "阿克苏地区 (8县1市)": ["阿克苏地区"],          # whole prefecture; '8县1市' is a description
    "塔城地区 (五县两市)": ["塔城地区"],            # whole prefecture
    "哈密地区(哈密市)": ["哈密地区"],
    "吐鲁番地区(吐鲁番市)": ["吐鲁番地区"],
    # '伊犁州直属10县(市)': the source gives the count, not the names. The ten are the county-level units
    # directly under 伊犁州 in 2010, i.e. cpca's 6540xx units less 霍尔果斯市 (created later from 霍城县;
    # in 2010 the source lists 霍尔果斯经济开发区 separately). Checked in ili_direct_counties().
    "伊犁州直属10县(市)": ["伊宁市", "奎屯市", "伊宁县", "察布查尔锡伯自治县", "霍城县", "巩留县", "新源县",
                          "昭苏县", "特克斯县", "尼勒克县"],
    "兵团农一师(第一师阿拉尔市)": [("兵团农一师", 1)],
    "兵团农二师(第二师铁门关市)": [("兵团农二师", 2)],
    "兵团农三师(第三师图木舒克市)": [("兵团农三师", 3)],
    "兵团农四师、农七师": [("兵团农四师", 4), ("兵团农七师", 7)],
    "兵团农五师(第五师双河市)": [("兵团农五师", 5)],
    "兵团农六师五家渠市": [("兵团农六师", 6)],
    "兵团农八师石河子市、农九师": [("兵团农八师", 8), ("兵团农九师", 9)],
    "兵团农十师(第十师北屯市)": [("兵团农十师", 10)],
    "兵团农十三师(第十三师新星市)": [("兵团农十三师", 13)],
    "兵团农十四师(第十四师昆玉市)": [("兵团农十四师", 14)],
    # Wenchuan 2008
    "广东省(主要由深圳市承担)": ["广东省"],       # note says Shenzhen carried most of it
    # Three Gorges 1992 (Beijing's district assignments; two donors in one cell are split)
    "北京市朝阳区": [("北京市朝阳区", "朝阳区")],
    "北京市通县": [("北京市通县", "通县")],
    "北京市顺义县": [("北京市顺义县", "顺义县")],
    "北京市平谷县、密云县": [("北京市平谷县", "平谷县"), ("北京市密云县", "密云县")],
    "北京市昌平县": [("北京市昌平县", "昌平县")],
    "北京市房山区": [("北京市房山区", "房山区")],
    "北京市丰台区、石景山区": [("北京市丰台区", "丰台区"), ("北京市石景山区", "石景山区")],
    "湖北省巴东县": ["巴东县"],
    "湖北省兴山县": ["兴山县"],
    "湖北省宜昌县(今夷陵区)": ["宜昌县"],
    "湖北省秭归县": ["秭归县"],
    "四川省云阳县(今重庆)": ["云阳县"],
    "四川省涪陵市(今重庆涪陵区)": ["涪陵市"],
    "四川省万县市(今重庆万州区)": ["万县市"],
    "万州区(原万县市五桥开发区)": ["万州区"],
    "宜昌市夷陵区(原宜昌县)": ["夷陵区"],
    # Qinghai 2010 (Beijing districts)
    "北京市密云区": [("北京市密云区", "密云区")],
    "北京市昌平区": [("北京市昌平区", "昌平区")],
    "北京市石景山区": [("北京市石景山区", "石景山区")],
    "北京市西城区": [("北京市西城区", "西城区")],
    "北京市丰台区": [("北京市丰台区", "丰台区")],
    "北京市怀柔区": [("北京市怀柔区", "怀柔区")],
    # Wanbei 2021
    "上海市闵行区": [("上海市闵行区", "闵行区")],
    "上海市松江区": [("上海市松江区", "松江区")],
    "上海市奉贤区": [("上海市奉贤区", "奉贤区")],
    "江苏省南京市": ["南京市"],
    "江苏省苏州市": ["苏州市"],
    "江苏省徐州市": ["徐州市"],
    "浙江省杭州市": ["杭州市"],
    "浙江省宁波市": ["宁波市"],
    # MOE universities (team entries split into one row per university)
    "中国人民大学、北京理工大学(团队)": ["中国人民大学", "北京理工大学"],
    "北京科技大学、北京邮电大学、中国矿业大学": ["北京科技大学", "北京邮电大学", "中国矿业大学"],
    "河北大学、河北工业大学、燕山大学、河北科技大学": ["河北大学", "河北工业大学", "燕山大学", "河北科技大学"],
}
# Province of a donor unit below the province where the name alone is ambiguous in cpca.
DONOR_PROVINCE = {"北京市": "11", "上海市": "31", "江苏省": "32", "浙江省": "33"}

# Notes on regions rows (historic names, data vintage); keyed by code.
REGION_NOTES = {
    "540200": "日喀则地区 in older sources; today 日喀则市.",
    "540300": "昌都地区 until 2014 (昌都市 since).",
    "540400": "林芝地区 until 2015 (林芝市 since).",
    "540500": "山南地区 in older sources; today 山南市.",
    "542400": "Listed as 那曲地区 in cpca 0.5.5, which predates its change to 那曲市; the later GB/T 2260 "
              "code of 那曲市 is not applied here because the binding code list does not have it.",
    "510124": "Listed as 郫县 in cpca 0.5.5 (today 成都市郫都区; the newer code is not in the binding code list).",
    "510705": "安县 in the 2008 sources; today 安州区 of 绵阳市.",
    "510726": "Named 北川县 in the 2008 sources.",
    "110112": "北京市通县 in the 1992 source; today 通州区.",
    "110113": "北京市顺义县 in the 1992 source; today 顺义区.",
    "110114": "北京市昌平县 in the 1992 source; today 昌平区.",
    "110117": "北京市平谷县 in the 1992 source; today 平谷区.",
    "110118": "北京市密云县 in the 1992 source; today 密云区.",
    "420506": "宜昌县 in the 1992 source; today 宜昌市夷陵区.",
    "500101": "四川省万县市 in the 1992 source (then a prefecture-level city of Sichuan); today 重庆市万州区.",
    "500102": "四川省涪陵市 in the 1992 source (then a prefecture-level city of Sichuan); today 重庆市涪陵区.",
    "500235": "四川省云阳县 in the 1992 source; part of 重庆市 since Chongqing became a municipality (1997).",
    "650400": "吐鲁番地区 in the 2010 sources; today the prefecture-level city 吐鲁番市.",
    "650500": "哈密地区 in the 2010 sources; today the prefecture-level city 哈密市.",
    "220581": "County-level city; its GB/T 2260 parent is 通化市.",
    "623000": "Named '甘南市' (sic) in the May 2008 Ministry of Civil Affairs notice.",
}

# ---------------------------------------------------------------------------------------------------
# 4. Sources and links. Every source is a row of data/curation/sources.csv (id, kind, citation, URL on a
#    vetted host or empty). A facts row finds its source through facts_key, the first 16 hex digits of the
#    sha256 of the URL (or title) under which the notes recorded it: the repository never holds a mirror
#    URL, yet the build stays reproducible from the notes. Hosts may be linked only if they are listed in
#    data/source_hosts.csv.
# ---------------------------------------------------------------------------------------------------
SOURCES_CSV = REPO / "data" / "curation" / "sources.csv"
HOSTS_CSV = REPO / "data" / "source_hosts.csv"
# A source read only on a repost or mirror: its row keeps the citation, no URL, and at most medium.
REPOST_NOTE = "Official page not found"


def facts_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def host_of(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()


def on_allow_list(url: str, hosts: tuple[str, ...]) -> bool:
    """A listed host covers itself and its subdomains."""
    host = host_of(url)
    return any(host == h or host.endswith("." + h) for h in hosts)


def vetted_hosts(path: Path = HOSTS_CSV) -> tuple[str, ...]:
    if not path.exists():
        fail(f"{path}: the list of vetted hosts is missing")
    return tuple(row["host"] for row in read_csv(path))


HOST_TOKEN = re.compile(r"(?<![@\w])((?:[a-z0-9-]+\.)+(?:com|cn|net|org|info|xyz|me|pk|biz|icu|cc|tw|io|top))"
                        r"(?![\w.])|\b\d{1,3}(?:\.\d{1,3}){3}\b", re.I)


def check_published_text(text: str, where: str, hosts: tuple[str, ...]) -> None:
    """Published fields (titles, notes) must not name an unvetted host (a renderer might link it)."""
    for match in HOST_TOKEN.finditer(text):
        token = match.group(0)
        if not on_allow_list("http://" + token, hosts):
            fail(f"{where}: published text names the unvetted host '{token}'")


class Sources:
    """data/curation/sources.csv, indexed by id and by facts_key; every URL on a vetted host."""

    def __init__(self, path: Path, hosts: tuple[str, ...]):
        if not path.exists():
            fail(f"{path}: source table not found")
        self.rows = read_csv(path)
        self.by_id, self.by_key, self.used = {}, {}, set()
        for line, row in enumerate(self.rows, start=2):
            where = f"{path.name}, line {line}"
            if row["source_id"] in self.by_id:
                fail(f"{where}, column 'source_id': duplicate id {row['source_id']!r}")
            if not row["title"]:
                fail(f"{where}, column 'title': a source needs a title")
            if row["url"] and not on_allow_list(row["url"], hosts):
                fail(f"{where}, column 'url': host {host_of(row['url'])!r} is not in data/source_hosts.csv")
            check_published_text(row["title"] + " " + row["note"], where, hosts)
            self.by_id[row["source_id"]] = row
            if row["facts_key"]:
                self.by_key[row["facts_key"]] = row

    def get(self, key: str, where: str) -> dict:
        row = self.by_id.get(key) or self.by_key.get(facts_key(key))
        if row is None:
            fail(f"{where}: no row of data/curation/sources.csv for the source recorded in the notes "
                 f"(id or facts_key {facts_key(key)})")
        self.used.add(row["source_id"])
        return row


def source_fields(key: str, sources: Sources, where: str = "") -> dict:
    row = sources.get(key, where)
    return {"source_title": row["title"], "source_url": row["url"], "source_ids": row["source_id"],
            "_repost_only": row["note"].startswith(REPOST_NOTE)}


# ---------------------------------------------------------------------------------------------------
# 6. Programmes and rounds: which facts rows go to which programme (ids fixed by DATA3.md).
# ---------------------------------------------------------------------------------------------------
def round_of(filename: str, label: str) -> tuple[str, str] | None:
    """(programme_id, round tag) for a facts row; None for rows the schema cannot hold."""
    rules = [
        ("tibet_1994.csv", "", "tibet_1994", "tibet"),
        ("xinjiang_2010.csv", "", "xinjiang_2010", "xinjiang"),
        ("wenchuan_2008.csv", "国办发〔2008〕53号", "wenchuan_2008_june", "wc_june"),
        ("wenchuan_2008.csv", "民政部临时对口支援", "wenchuan_2008_may", "wc_may"),
        ("wenchuan_2008.csv", "sub-pairing", None, "wc_townships"),
        ("covid_hubei_2020.csv", "初始名单", "covid_hubei_2020", "covid_superseded"),
        ("covid_hubei_2020.csv", "省际对口支援湖北", "covid_hubei_2020", "covid_official"),
        ("east_west_cooperation.csv", "东西部扶贫协作 1996", "east_west_1996", "ew1996"),
        ("east_west_cooperation.csv", "1997+ 重庆直辖后", "east_west_1996", "ew_cq"),
        ("east_west_cooperation.csv", "2010年6月调整", "east_west_1996", "ew2010"),
        ("east_west_cooperation.csv", "东西部扶贫协作 2016", "east_west_1996", "ew2016"),
        ("east_west_cooperation.csv", "东西部协作 2021", "east_west_1996", "ew2021"),
        ("three_gorges_1992.csv", "", "three_gorges_1992", "tg"),
        ("qinghai_yushu_2010.csv", "", "qinghai_2010", "qh"),
        ("northeast_east_2017.csv", "", "northeast_east_2017", "ne"),
        ("wanbei_2021.csv", "", "wanbei_2021", "wb"),
        ("revolutionary_base_2022.csv", "", "revolutionary_base_2022", "rb"),
        ("moe_universities_2001.csv", "", "moe_universities_2001", "moe"),
    ]
    for name, marker, programme, tag in rules:
        if filename == name and marker in label:
            return (programme, tag) if programme else None
    fail(f"{filename}: programme label {label!r} matches no rule in round_of()")


# Defaults per round: valid_to and, where it stays empty, whether the pair is in force or its end unknown.
ROUND_DEFAULTS = {
    "tibet": {"end": "in_force"},
    "xinjiang": {"end": "in_force"},
    "wc_june": {"valid_to": 2010},   # the plan's three years; DATA3.md: June plan rows 2008–2010
    "wc_may": {"valid_to": 2008},    # relief-phase arrangement, superseded by the June plan
    "covid_official": {"valid_to": 2020},
    "covid_superseded": {"valid_to": 2020,
                         "conf": ("low", "superseded and unofficial list: kept only as a low-confidence record")},
    "ew1996": {}, "ew_cq": {}, "ew2010": {}, "ew2016": {}, "ew2021": {"end": "in_force"},
    "tg": {"end": "unknown"},
    "qh": {"end": "in_force"},
    "ne": {"end": "unknown"},
    "wb": {"end": "unknown"},
    "rb": {"end": "in_force_2030"},
    "moe": {"end": "unknown"},
}
END_TEXT = {
    "in_force": "valid_to empty: in force (no end reported in the sources read).",
    "unknown": "valid_to empty: end year unknown.",
    "in_force_2030": "valid_to empty: in force; the plan's work period is 2022–2030 (新华社 2022-06-07, 中国政府网).",
}
LOWER_BOUND = ("valid_from is the earliest year in which the pair is documented in the sources read, "
               "not a reported start year.")

# Per-row rules, keyed by (round tag, donor as in the notes, recipient as in the notes).
#   valid_from / valid_to / end: window; conf: (new level, reason) for a downgrade, or an upgrade with the
#   source read; note: replaces the notes' text (which may not name mirror hosts); add: appended;
#   sources: citation keys replacing the notes' own; skip: the row is not converted (reason reported).
R = {
    # ---------------- Tibet 1994 ----------------
    ("tibet", "北京市", "拉萨市"): {"add": "Kept at prefecture level: the pair is read for 拉萨市 as a whole."},
    ("tibet", "江苏省", "拉萨市"): {"note": "'自1994年江苏建立对口支援西藏拉萨工作机制以来'; 南京→墨竹工卡 per 人民日报 "
                                        "2012-11-04."},
    ("tibet", "上海市", "日喀则市"): {"note": "'1994年中央第三次西藏工作座谈会确定上海对口支援西藏日喀则地区'; counties "
                                          "江孜、拉孜、亚东、定日 (+萨迦 from 2001) per another oral history (方城) of "
                                          "the same series."},
    ("tibet", "山东省", "日喀则市"): {"note": "Counties 桑珠孜、白朗、昂仁、聂拉木、南木林; start year from "
                                          "'1994年…30年来' in the cited report (read on a mirror of 中国经济网)."},
    ("tibet", "四川省", "昌都市"): {
        "skip": "removed: no source read names Sichuan as a donor to Chamdo (the notes had it from memory only); "
                "the 1994–1996 row of 重庆市, then a city of 四川省, records what the sources show"},
    ("tibet", "广东省", "林芝市"): {"note": "'对口援助省广东和福建' (《中国西藏》2000); also 南方日报 2016-12-06 on "
                                        "Guangdong's pairing with 林芝."},
    ("tibet", "福建省", "林芝市"): {
        "valid_to": 2015, "superseded": True,
        "note": "'西藏林芝地区是福建省的对口援助地区' (2009). Per 东南网 (read on a mirror): 1995-05 to 2016-06 "
                "朗县、米林县、米林农场, plus 工布江达县 from 2002. Known conflict/adjustment: replaced by "
                "Fujian→Chamdo from July 2016; valid_to 2015 so the move reads as one change in 2016."},
    ("tibet", "福建省", "昌都市"): {"add": "Adjustment row: closes Fujian→Nyingchi (valid_to 2015)."},
    ("tibet", "浙江省", "那曲市"): {
        "valid_from": 1995,
        "note": "'自1995年浙江省对口支援西藏那曲地区及那曲、比如、嘉黎三县'; valid_from follows the source "
                "(the pairing was decided at the 1994 forum)."},
    ("tibet", "黑龙江省", "日喀则市"): {"note": "'自2002年6月开始' (also in a repost of the same report); counties "
                                            "康马、仁布、谢通门."},
    ("tibet", "吉林省", "日喀则市"): {
        "basis": "inferred",
        "conf": ("medium", "start year 2004 is inferred from a 2014 article ('10年前首批24位吉林援藏干部'), not "
                           "read in the cited text"),
        "note": "Counties 吉隆、定结、萨嘎."},
    ("tibet", "重庆市", "昌都市"): {
        "valid_from": 1994, "split_at": 1997, "basis": "inferred",
        "sources": ["s94df105e", "chongqing_morning_2015"],
        "conf": ("medium", "start year implied by a 20th anniversary, not stated as a year; read on a repost"),
        "note": "Pair and counties (类乌齐、察雅、芒康) read on the Chongqing government page (2022). Start: "
                "重庆晨报 2015-03-21 says '2014年…也是重庆对口援藏20周年' and that Chongqing sent 7 batches (169 "
                "cadres) to 昌都 in those 20 years, i.e. from 1994. Until March 1997 重庆 was a city of 四川省 "
                "(one row, 1994–1996, prefecture level); the municipality's row starts in 1997. The sources do not "
                "say whether the city acted under an assignment to Sichuan."},
    # ---------------- Xinjiang 2010 ----------------
    ("xinjiang", "广东省", "兵团农三师(第三师图木舒克市)"): {
        "note": "Known conflict: a forum list (行政区划网) says '农十三师图木舒克市'; 图木舒克 is the seat of the 3rd "
                "division, which Guangdong supports; the 13th division is Henan's (see those rows)."},
    ("xinjiang", "深圳市", "喀什地区: 喀什市、塔什库尔干塔吉克自治县"): {
        "note": "Shenzhen is the only sub-provincial city (计划单列市) among the 19 donors; also 中国新闻网 English "
                "service 2015 on Shenzhen–Kashgar."},
    ("xinjiang", "浙江省", "阿克苏地区 (8县1市)"): {
        "note": "'阿克苏地区成为浙江省对口援助地区': kept as one prefecture-level row (the whole prefecture; '8县1市' "
                "is a forum's description). Within Zhejiang: 杭州→阿克苏市 (杭州网 2023), 宁波→库车 (journal "
                "abstract)."},
    ("xinjiang", "江苏省", "伊犁州直属10县(市)"): {
        "conf": ("medium", "the source gives '伊犁州直属所有10个县(市)' without names; the ten units are identified "
                           "from the code list (county-level units directly under 伊犁州 in 2010)"),
        "note": "'2010年…扩展为伊犁州直属所有10个县(市)、克州3个县(市)、兵团2个师和霍尔果斯经济开发区' (霍尔果斯经济开发区 "
                "is not an administrative unit and has no row). 1997–2010 round: 伊犁、阿勒泰、塔城 and 奎屯."},
    ("xinjiang", "江苏省", "克孜勒苏州: 阿图什市、乌恰县、阿合奇县"): {
        "conf": ("medium", "the county names come from a forum list; the source gives only the count '克州3个县(市)'"),
        "note": "Consistent with the other rows: 克州's fourth county-level unit, 阿克陶县, is Jiangxi's."},
    ("xinjiang", "江苏省", "兵团农四师、农七师"): {
        "note": "The source says '兵团2个师' without naming them; the 4th and 7th divisions are named only by a forum "
                "list (行政区划网)."},
    ("xinjiang", "辽宁省", "兵团农八师石河子市、农九师"): {
        "note": "大连→农八师 9 团场, 铁岭→3, 阜新→2 (中国日报 2010-11-29). The forum list (行政区划网) omits Liaoning's "
                "divisions."},
    ("xinjiang", "吉林省", "阿勒泰地区: 阿勒泰市、布尔津县、哈巴河县、吉木乃县"): {
        "note": "Only 通化→布尔津 is confirmed (China Daily 2013, read on a mirror); the other three counties come "
                "from a forum list only (行政区划网, which has known errors)."},
    ("xinjiang", "河南省", "哈密地区(哈密市)"): {
        "note": "'河南对口支援哈密市和兵团第十三师'; in 2010 Henan moved from 阿克苏 to 哈密 (book excerpt)."},
    ("xinjiang", "湖北省", "博尔塔拉蒙古自治州"): {"note": "Hubei has supported 博州 since 1999 (journal abstract)."},
    # ---------------- Hubei 2020 ----------------
    ("covid_official", "山东省", "黄冈市"): {"add": "The same pair is in the superseded 7 Feb list (not repeated)."},
    ("covid_official", "浙江省", "荆门市"): {"add": "The same pair is in the superseded 7 Feb list (not repeated)."},
    ("covid_superseded", "山东省", "黄冈市"): {"skip": "same pair as an official row (one row per pair and window)"},
    ("covid_superseded", "浙江省", "荆门市"): {"skip": "same pair as an official row (one row per pair and window)"},
    # ---------------- Three Gorges 1992 ----------------
    ("tg", "天津市", "万州区"): {
        "conf": ("medium", "the 1992 start year comes only from a low-quality web page"),
        "note": "'天津市进一步做好对口支援万州区合作框架协议(2016--2020)'."},
    ("tg", "宁波市", "万州区"): {"valid_from": 2017, "add": LOWER_BOUND,
                               "note": "'在对口帮扶黔西南州和万州三峡库区的基础上' (2017); start year not stated."},
    ("tg", "河北省", "丰都县"): {"valid_from": 2015, "add": LOWER_BOUND,
                               "note": "'我省与对口支援的丰都县' (2015); start year not stated."},
    ("tg", "广东省", "巫山县"): {"valid_from": 2015, "add": LOWER_BOUND,
                               "note": "'近五年来广东省支援巫山曲尺乡等地' (2019-11), i.e. documented from about 2015; "
                                       "start year not stated."},
    ("tg", "上海市", "万州区(原万县市五桥开发区)"): {"end": "in_force",
                                               "add": "Shanghai's 2019 projects for 万州 are reported (黄浦区→万州)."},
    ("tg", "上海市", "宜昌市夷陵区(原宜昌县)"): {"end": "in_force",
                                            "note": "Same report: 1992 start; 静安区→夷陵 (2019)."},
    # ---------------- Qinghai 2010 ----------------
    ("qh", "山东省", "海北藏族自治州"): {
        "sources": ["qilu_weekly_2017", "s545c138d"], "repost_evidence": True,
        "conf": ("high", "the pair and its 2010 start were read by the curator in 齐鲁周刊 "
                         "2017年第35期 ('2010年召开的中央第五次西藏工作座谈会，作出了对口支援青海藏区的决策部署…确定"
                         "山东省对口支援海北藏族自治州'); 大众网 reports Shandong's aid cadres in 海北州 (祁连县)"),
        "note": "The Global Times (2018) lists Shandong among the six donor provinces without naming the prefecture."},
    # ---------------- Northeast–East 2017 ----------------
    ("ne", "丽水市", "梅河口市"): {"note": "Zhejiang–Jilin city sub-pair; 梅河口市 is a county-level city."},
    # ---------------- Revolutionary base 2022 ----------------
    ("rb", "宁波市", "黄冈市"): {
        "conf": ("medium", "the repost masks the first character ('*冈市'); 黄冈 is inferred as the only 大别山 "
                           "city whose name ends in 冈"),
        "note": "As read: '宁波市与*冈市（大别山革命老区）及丽水市（浙西南革命老区）'."},
    ("rb", "广州市", "龙岩市"): {"note": "老区: 赣闽粤原中央苏区; also a 龙岩 article (not re-read)."},
    # ---------------- MOE universities 2001 ----------------
    ("moe", "清华大学", "青海大学"): {"end": "in_force"},
    ("moe", "上海交通大学", "宁夏大学"): {"basis": "inferred", "conf": ("medium", "start year 2001 assumed; the pair is read in a 2006 report")},
}
for _donor, _recipient in (("山东省", "重庆市"), ("北京市", "内蒙古自治区"), ("福建省", "宁夏回族自治区")):
    R[("ew2021", _donor, _recipient)] = {
        "skip": "removed: a 2021 continuation the notes assumed without any source read (no title); the 2016 row "
                "is closed by the 2021 round without a successor"}
# The 1997–2001 Chongqing pairs and the notes' empty start years in other rows.
for _donor in ("珠海市", "厦门市"):
    R[("ew_cq", _donor, "重庆市")] = {
        "valid_from": 2001, "valid_to": 2009, "sources": ["s2cde72f5", "iprcc_yearbook_2011"],
        "note": "In the white paper's 2001–2010 table ('珠海市、厦門市―重慶市'); start year not in the source "
                "(Chongqing became a municipality in 1997). " + LOWER_BOUND + " Ended by the June 2010 adjustment: "
                "'Xiamen and Zhuhai, which were originally designated to support Chongqing' were moved to 临夏 and "
                "凉山 (白皮书 note; 中国扶贫开发年鉴2011, read by the curator)."}
for _uni, _to in (("中央财经大学", "兰州财经大学"), ("西安交通大学", "天水师范学院"), ("中国传媒大学", "兰州文理学院"),
                  ("中国美术学院", "西昌民族幼儿师范高等专科学校"),
                  ("北京科技大学、北京邮电大学、中国矿业大学", "新疆工程学院"), ("浙江工业大学", "新疆理工学院"),
                  ("河北大学、河北工业大学、燕山大学、河北科技大学", "新疆科技学院")):
    R[("moe", _uni, _to)] = {
        "valid_from": 2021, "basis": "inferred",
        "conf": ("medium", "the notice's year is not shown in the source (news of 26 November); 2021 is assumed"),
        "note": "Added by 教育部办公厅《关于对口支援新疆工程学院等高校工作的通知》 (year not shown; the notes say "
                "likely 2021 or 2022)."}
for _district, _county in (("北京市密云区", "玉树市"), ("北京市昌平区", "曲麻莱县"), ("北京市石景山区", "称多县"),
                           ("北京市西城区", "囊谦县"), ("北京市丰台区", "治多县"), ("北京市怀柔区", "杂多县")):
    R[("qh", _district, _county)] = {
        "basis": "inferred",
        "conf": ("medium", "the page is undated: 2010 is assumed from Beijing's support of Yushu since 2010, and "
                           "the district–county split may date from later"),
        "note": "Current district–county pairing as listed by the Beijing DRC."}

for _donor, _recipient in (("江苏省", "辽宁省"), ("浙江省", "吉林省"), ("广东省", "黑龙江省"), ("北京市", "沈阳市"),
                           ("上海市", "大连市"), ("天津市", "长春市"), ("深圳市", "哈尔滨市")):
    R[("ne", _donor, _recipient)] = {
        "note": "Two-way 对口合作, not aid: the donor/recipient direction is a convention (eastern side as donor). "
                "Also reported by 中新网 2017-03-21. 内蒙古 was encouraged to dock with eastern provinces."}

# East–West windows: each round's row closes when the next round re-pairs the donor (valid_to = year before).
EW_2016_IN_2021 = "Replaced by the 2021 round, which continues the pair (separate row)."
EW_2016_UNSOURCED = ("Replaced by the 2021 round. That the pair continues in it is commonly stated, but no source "
                     "read confirms it, so the table has no 2021 row.")
EW_2016_CLOSED = ("Closed by the 2021 round (《关于坚持和完善东西部协作机制的意见》, 2021), which re-paired the eastern "
                  "provinces one to one; the pair is not in the 2021 lists read.")
EW = {
    # 1996 round
    ("ew1996", "北京市", "内蒙古自治区"): (1996, 2015, "Continued in the 2016 round (separate row)."),
    ("ew1996", "天津市", "甘肃省"): (1996, 2015, "Continued in the 2016 round (separate row)."),
    ("ew1996", "辽宁省", "青海省"): (1996, 2015,
        "June 2010: Liaoning's support focused on 西宁市 and 海东 (中国扶贫开发年鉴2011, read by the curator). The 2016 "
        "list, read up to 宁波, pairs 西宁 and 海东 with Jiangsu and names Liaoning only through 大连→六盘水: the pair "
        "is taken to end in 2015 (inferred)."),
    ("ew1996", "上海市", "云南省"): (1996, 2015, "Continued in the 2016 round (separate row)."),
    ("ew1996", "江苏省", "陕西省"): (1996, 2015, "Continued in the 2016 round (separate row)."),
    ("ew1996", "浙江省", "四川省"): (1996, 2015,
        "Continued in the 2016 round (separate row); June 2010 extension to 甘孜、阿坝 and 木里 (中国扶贫开发年鉴2011)."),
    ("ew1996", "福建省", "宁夏回族自治区"): (1996, 2015, "Continued in the 2016 round (separate row)."),
    ("ew1996", "山东省", "新疆维吾尔自治区"): (1996, 2009,
        "Ended by the June 2010 adjustment: Shandong supports Chongqing 'instead of 10 counties in Xinjiang' "
        "(中国扶贫开发年鉴2011, read by the curator; white paper note)."),
    ("ew1996", "广东省", "广西壮族自治区"): (1996, 2015, "Continued in the 2016 round (separate row)."),
    ("ew1996", "大连市", "贵州省"): (1996, 2015, "From 2016 大连 is paired with 六盘水市 (official 2016 list)."),
    ("ew1996", "宁波市", "贵州省"): (1996, 2015, "From 2016 宁波 is paired with 黔西南州 (official 2016 list)."),
    ("ew1996", "青岛市", "贵州省"): (1996, 2015,
        "Closure inferred: the 2016 round pairs 青岛 with 安顺市 and 陇南市 (that part of the list not read in an "
        "authoritative text)."),
    ("ew1996", "深圳市", "贵州省"): (1996, 2015,
        "Closure inferred: 深圳 is absent from the 2016 list as paraphrased (the official text was read only up to "
        "宁波)."),
    # June 2010 adjustment
    ("ew2010", "山东省", "重庆市"): (2010, 2015, "Continued in the 2016 and 2021 rounds (separate rows)."),
    ("ew2010", "厦门市", "临夏回族自治州"): (2010, 2015, "Continued in the 2016 round (separate row)."),
    ("ew2010", "珠海市", "凉山彝族自治州"): (2010, 2015,
        "From 2016 佛山 supports 凉山 ('2016年，佛山市对口帮扶凉山州', 川观新闻 2021); the 2016 paraphrase pairs 珠海 "
        "with 怒江 (closure inferred)."),
    # 2016 round (official list read up to 宁波→黔西南)
    ("ew2016", "北京市", "内蒙古自治区"): (2016, 2020, EW_2016_UNSOURCED),
    ("ew2016", "北京市", "张家口市"): (2016, 2020, EW_2016_CLOSED),
    ("ew2016", "北京市", "保定市"): (2016, 2020, EW_2016_CLOSED),
    ("ew2016", "天津市", "甘肃省"): (2016, 2020, EW_2016_IN_2021),
    ("ew2016", "天津市", "承德市"): (2016, 2020, EW_2016_CLOSED),
    ("ew2016", "大连市", "六盘水市"): (2016, 2020,
        "Closure inferred from the 2021 round, in which Guangdong takes over Guizhou ('广东负责帮扶广西、贵州两省区')."),
    ("ew2016", "上海市", "云南省"): (2016, 2020, EW_2016_IN_2021),
    ("ew2016", "上海市", "遵义市"): (2016, 2020,
        "Closure inferred from the 2021 round, in which Guangdong takes over Guizhou."),
    ("ew2016", "江苏省", "陕西省"): (2016, 2020, EW_2016_IN_2021),
    ("ew2016", "江苏省", "西宁市"): (2016, 2020, "From 2021 Jiangsu's cooperation covers the whole of Qinghai "
                                             "(separate row)."),
    ("ew2016", "江苏省", "海东市"): (2016, 2020, "From 2021 Jiangsu's cooperation covers the whole of Qinghai "
                                             "(separate row)."),
    ("ew2016", "苏州市", "铜仁市"): (2016, 2020,
        "Closure inferred from the 2021 round, in which Guangdong takes over Guizhou."),
    ("ew2016", "浙江省", "四川省"): (2016, 2020, EW_2016_IN_2021),
    ("ew2016", "杭州市", "恩施土家族苗族自治州"): (2016, 2020,
        "Ended 2020: in the 2021 round Zhejiang pairs only with Sichuan, dropping 贵州、湖北、吉林 (杭州宣传网 2021)."),
    ("ew2016", "杭州市", "黔东南苗族侗族自治州"): (2016, 2020,
        "Ended 2020: in the 2021 round Zhejiang pairs only with Sichuan (杭州宣传网 2021)."),
    ("ew2016", "宁波市", "延边朝鲜族自治州"): (2016, 2020,
        "Ended 2020: in the 2021 round Zhejiang pairs only with Sichuan (杭州宣传网 2021)."),
    ("ew2016", "宁波市", "黔西南布依族苗族自治州"): (2016, 2020,
        "Ended 2020: in the 2021 round Zhejiang pairs only with Sichuan (杭州宣传网 2021)."),
    ("ew2016", "福建省", "宁夏回族自治区"): (2016, 2020, EW_2016_UNSOURCED),
    ("ew2016", "福州市", "定西市"): (2016, 2020,
        "Closure inferred: from 2021 Shandong (济南、青岛) supports 陇南、定西、临夏 (甘肃日报 2021)."),
    ("ew2016", "厦门市", "临夏回族自治州"): (2016, 2020,
        "Closure inferred: from 2021 Shandong (济南、青岛) supports 陇南、定西、临夏 (甘肃日报 2021)."),
    ("ew2016", "山东省", "重庆市"): (2016, 2020, EW_2016_UNSOURCED),
    ("ew2016", "济南市", "湘西土家族苗族自治州"): (2016, 2020, EW_2016_CLOSED),
    ("ew2016", "青岛市", "安顺市"): (2016, 2020,
        "Closure inferred from the 2021 round, in which Guangdong takes over Guizhou."),
    ("ew2016", "青岛市", "陇南市"): (2016, 2020, EW_2016_CLOSED),
    ("ew2016", "广东省", "广西壮族自治区"): (2016, 2020, EW_2016_IN_2021),
    ("ew2016", "广东省", "甘孜藏族自治州"): (2016, 2020,
        "Closure inferred: the 2021 round is one-to-one, Zhejiang with the whole of Sichuan (杭州宣传网 2021)."),
    ("ew2016", "广州市", "黔南布依族苗族自治州"): (2016, None, "in_force"),
    ("ew2016", "广州市", "毕节市"): (2016, None, "in_force"),
    ("ew2016", "佛山市", "凉山彝族自治州"): (2016, 2020,
        "'2016年，佛山市对口帮扶凉山州'; the pairing ended with the 2021 round, after which the two cities signed a "
        "friendship-city agreement (2021-05)."),
    ("ew2016", "中山市", "昭通市"): (2016, 2020, EW_2016_CLOSED),
    ("ew2016", "东莞市", "昭通市"): (2016, 2020, EW_2016_CLOSED),
    ("ew2016", "珠海市", "怒江傈僳族自治州"): (2016, 2020, EW_2016_CLOSED),
}
EW_1996_NOTE = ("The 1996 donor set is confirmed (9 eastern provinces and municipalities plus 大连、青岛、深圳、宁波 for "
                "10 western provinces; 新华社 2016, 人民日报 2016-12-09); the pair itself is read in the white "
                "paper's 2001–2010 table and taken as the 1996 pairing.")
EW_2016_OFFICIAL_NOTE = "Read verbatim in the official text (the list as read stops after 宁波→黔西南)."
EW_2016_NOTES = {
    "福建省": "Not in the official text as read (truncated). Fujian–Ningxia is continuous since 1996 in several "
             "sources; the 2016 paraphrase lists it.",
    "福州市": "NOT verified: only in a web-novel paraphrase and an AI-generated page (which dates the pairing to 2018); "
             "the paraphrase read by the curator does not in fact list 福州.",
    "厦门市": "Continuation of the 2010 pair into the 2016 round: 中国甘肃网 2016-06-17 (read by the curator) reports "
             "Xiamen's support of 临夏 since 2010 and its 2016 projects; the 2016 paraphrase does not list it.",
    "山东省": "Continuation of the 2010 pair; listed in the 2016 paraphrase ('山东帮扶重庆').",
    "济南市": "NOT verified: only in the web-novel paraphrase ('济南帮扶湖南湘西').",
    ("青岛市", "安顺市"): "青岛西海岸新区–安顺经开区 cooperation from 2015 (news report) and the 2016 paraphrase.",
    ("青岛市", "陇南市"): "青岛西海岸新区–陇南武都区 cooperation in 2017 (news report) and the 2016 paraphrase.",
    ("广东省", "广西壮族自治区"): "南方日报 2021 refers to Guangdong's previous round ('一区六地州'); also in the 2016 "
                            "paraphrase.",
    ("广东省", "甘孜藏族自治州"): "NOT verified: only in the web-novel paraphrase ('广东帮扶广西和四川甘孜').",
    "广州市": "Still paired in 2025 per 广州日报 (in the notes, not re-read); the 2016 start follows from the 2016 "
             "round. The paraphrase the notes cite does not list 广州.",
    "中山市": "NOT verified: only in the web-novel paraphrase ('中山、东莞帮扶云南昭通').",
    "东莞市": "NOT verified: only in the web-novel paraphrase ('中山、东莞帮扶云南昭通').",
    "珠海市": "NOT verified: only in the web-novel paraphrase ('珠海帮扶云南怒江').",
}
EXTRA_ROWS = [
    # Rows not in the notes, added from a source the curator read (search tool, pages corpus).
    {"tag": "wc_may", "donor": "北京市", "recipient": "陇南市", "province": "62", "confidence": "high",
     "source": "s85612f9d",
     "note": "Gansu assignment in the same notice: '北京要对口支援陇南市' (re-read by the curator on 中国政府网); in "
             "the notes only as a remark."},
    {"tag": "wc_may", "donor": "天津市", "recipient": "甘南市", "province": "62", "confidence": "medium",
     "source": "s85612f9d",
     "note": "The notice says '天津对口支援甘南市' (re-read by the curator on 中国政府网). There is no 甘南市; the unit is "
             "read as 甘南藏族自治州, the only unit named 甘南 (medium: the unit is interpreted)."},
]


# ---------------------------------------------------------------------------------------------------
# 7. Codes: cpca's adcodes, resolution of names to exactly one code.
# ---------------------------------------------------------------------------------------------------
class Codes:
    def __init__(self, path: Path):
        if not path.exists():
            fail(f"{path}: cpca adcodes file not found (pip download cpca==0.5.5 and unpack it, or pass --adcodes)")
        self.name: dict[str, str] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["adcode"][:6]
                if row["adcode"][6:].strip("0"):
                    continue  # below county level (none expected)
                self.name.setdefault(code, row["name"])
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for code, name in sorted(self.name.items()):
            self.by_name[name].append(code)

    @staticmethod
    def level(code: str) -> str:
        if code.startswith("XPCC"):
            return "xpcc_division"
        if code.endswith("0000"):
            return "province"
        if code.endswith("00"):
            return "prefecture"
        return "county"

    def resolve(self, name: str, province: str | None, where: str) -> str:
        lookup = LOOKUP_ALIASES.get(name, name)
        candidates = [c for c in self.by_name.get(lookup, []) if not province or c.startswith(province)]
        if len(candidates) != 1:
            fail(f"{where}: name {name!r} (looked up as {lookup!r}, province {province or 'any'}) resolves to "
                 f"{candidates or 'no code'} in cpca adcodes; add a rule to LOOKUP_ALIASES/SPLITS")
        return candidates[0]

    def parent(self, code: str) -> str:
        """Province for prefectures; prefecture for counties unless the prefecture is not a real unit
        (市辖区/县/省直辖县级行政区划 placeholders), then the province."""
        if code.startswith("XPCC"):
            return "650000"
        level = self.level(code)
        if level == "province":
            return ""
        province = code[:2] + "0000"
        if level == "prefecture":
            return province
        prefecture = code[:4] + "00"
        placeholder = self.name.get(prefecture) in (None, "市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
        return province if placeholder else prefecture


def ili_direct_counties(codes: Codes) -> None:
    """Check the SPLITS entry for '伊犁州直属10县(市)' against cpca: all 6540xx units except 霍尔果斯市."""
    direct = sorted(n for c, n in codes.name.items() if c.startswith("6540") and c != "654000")
    expected = sorted(set(direct) - {"霍尔果斯市"})
    if sorted(SPLITS["伊犁州直属10县(市)"]) != expected or len(expected) != 10:
        fail(f"伊犁州直属10县(市): SPLITS list does not match cpca's direct units {direct}")


def province_prefix(text: str, codes: Codes) -> str | None:
    """Two-digit prefix of a province named in full or short form (e.g. '西藏', '内蒙古自治区')."""
    text = text.strip()
    if not text:
        return None
    for code in PROVINCES:
        full = codes.name[code]
        short = re.sub(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$", "", full)
        if text in (full, short) or text.startswith(short):
            return code[:2]
    fail(f"recipient_province {text!r} names no province")


def parties(raw: str, side: str, level_hint: str, province: str | None, codes: Codes, where: str):
    """One (name, code, level) per unit in a party string of the notes."""
    if level_hint == "university":
        names = SPLITS.get(raw, [raw])
        return [(n, "", "university") for n in names]
    out = []
    for item in SPLITS.get(raw, [raw]):
        if isinstance(item, tuple) and isinstance(item[1], int):  # XPCC division
            out.append((item[0], f"XPCC{item[1]:02d}", "xpcc_division"))
            continue
        name, lookup = item if isinstance(item, tuple) else (item, item)
        name = SHORT_PROVINCE_NAMES.get(name, name)
        lookup = SHORT_PROVINCE_NAMES.get(lookup, lookup)
        hint = province
        if side == "donor":
            prefix = next((p for p in DONOR_PROVINCE if raw.startswith(p) and raw != p), None)
            hint = DONOR_PROVINCE[prefix] if prefix else None
        code = codes.resolve(lookup, hint, where)
        out.append((name, code, codes.level(code)))
    return out


# ---------------------------------------------------------------------------------------------------
# 8. Pairings.
# ---------------------------------------------------------------------------------------------------
PAIR_FILES = ["tibet_1994.csv", "xinjiang_2010.csv", "wenchuan_2008.csv", "covid_hubei_2020.csv",
              "east_west_cooperation.csv", "three_gorges_1992.csv", "qinghai_yushu_2010.csv",
              "northeast_east_2017.csv", "wanbei_2021.csv", "revolutionary_base_2022.csv",
              "moe_universities_2001.csv"]
PAIR_COLUMNS = ["pairing_id", "programme_id", "donor_code", "donor_name", "donor_level", "recipient_code",
                "recipient_name", "recipient_level", "valid_from", "valid_to", "status", "start_basis",
                "superseded_by", "source_title", "source_url", "source_ids", "confidence", "note"]
# Rounds whose closed rows were replaced by a later official list (the others simply ended).
SUPERSEDED_TAGS = {"wc_may", "covid_superseded", "ew1996", "ew2010", "ew2016", "ew_cq"}
REPOST_DOWNGRADE = "the source was read only on a repost or mirror; the original publisher's page was not found"
LEVEL_RANK = {"low": 0, "medium": 1, "high": 2}


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def join_notes(*parts: str) -> str:
    out = []
    for part in parts:
        part = (part or "").strip()
        if part:
            out.append(part if part.endswith((".", "。")) else part + ".")
    return " ".join(out)


def combine_sources(cited: list[dict]) -> dict:
    """Several citations for one row: titles joined, the first official URL published, all ids kept."""
    urls = [c["source_url"] for c in cited if c["source_url"]]
    return {"source_title": "; ".join(c["source_title"] for c in cited if c["source_title"]),
            "source_url": urls[0] if urls else "", "source_ids": ";".join(c["source_ids"] for c in cited),
            "_repost_only": not urls and any(c["_repost_only"] for c in cited)}


def cap_for_repost(confidence: str, src: dict) -> tuple[str, str]:
    """A row whose only evidence is a repost keeps its citation but is at most medium."""
    if src["_repost_only"] and confidence == "high":
        return "medium", f"Downgraded from high: {REPOST_DOWNGRADE}"
    return confidence, ""


def build_pairings(facts: Path, codes: Codes, sources: Sources, report: dict) -> list[dict]:
    rows, used_rules = [], set()
    for filename in PAIR_FILES:
        for line, fact in enumerate(read_csv(facts / filename), start=2):
            where = f"{filename}, line {line}"
            target = round_of(filename, fact["programme"])
            if target is None:
                report["not_converted"].append(f"{where}: {fact['donor']}→{fact['recipient']} ({fact['recipient_level']}"
                                               "; township sub-pairs have no level in the schema)")
                continue
            programme, tag = target
            key = (tag, fact["donor"], fact["recipient"])
            rule = R.get(key, {})
            if rule:
                used_rules.add(key)
            if "skip" in rule:
                report["not_converted"].append(f"{where}: {fact['donor']}→{fact['recipient']} ({rule['skip']})")
                continue
            rows.extend(convert(fact, programme, tag, rule, where, codes, sources))
    for extra in EXTRA_ROWS:
        programme = {"wc_may": "wenchuan_2008_may"}[extra["tag"]]
        fact = {"donor": extra["donor"], "donor_level": "province", "recipient": extra["recipient"],
                "recipient_level": "prefecture", "recipient_province": "", "year_start": "2008",
                "source_url_or_repo_path": extra["source"], "source_title": "", "confidence": extra["confidence"],
                "note": extra["note"]}
        rows.extend(convert(fact, programme, extra["tag"], {"province": extra["province"]}, "EXTRA_ROWS",
                            codes, sources))
    unused = set(R) - used_rules
    if unused:
        fail(f"rules that match no facts row (facts changed?): {sorted(unused)}")
    unused_ew = {k for k in EW if k not in {(r['_tag'], r['_donor_raw'], r['_recipient_raw']) for r in rows}}
    if unused_ew:
        fail(f"East–West windows that match no facts row: {sorted(unused_ew)}")
    return rows


def convert(fact: dict, programme: str, tag: str, rule: dict, where: str, codes: Codes,
            sources: Sources) -> list[dict]:
    defaults = ROUND_DEFAULTS[tag]
    province = rule.get("province") or province_prefix(fact["recipient_province"], codes)
    donor_level_hint = "university" if fact["donor_level"] == "university" else ""
    donors = parties(fact["donor"], "donor", donor_level_hint, None, codes, where)
    recipients = parties(fact["recipient"], "recipient", donor_level_hint, province, codes, where)

    # window
    valid_from = rule.get("valid_from") or (int(fact["year_start"]) if fact["year_start"] else None)
    valid_to = rule.get("valid_to", defaults.get("valid_to"))
    end = rule.get("end", defaults.get("end"))
    window_note = ""
    ew = EW.get((tag, fact["donor"], fact["recipient"]))
    if ew:
        valid_from, valid_to, text = ew
        if valid_to is None:
            end = text
        else:
            window_note = text
    elif tag.startswith("ew") and tag not in ("ew2021", "ew_cq"):
        fail(f"{where}: East–West row without a window in EW")
    if tag == "ew2021":
        valid_from = 2021
    if valid_from is None:
        fail(f"{where}: no start year in the notes and no rule giving one")

    # confidence
    confidence, conf_note = fact["confidence"], ""
    change = rule.get("conf") or defaults.get("conf")
    if change:
        new, reason = change
        if LEVEL_RANK[new] > LEVEL_RANK[confidence] and "read by the curator" not in reason:
            fail(f"{where}: upgrade without a source read by the curator")
        if new != confidence:
            verb = "Upgraded" if LEVEL_RANK[new] > LEVEL_RANK[confidence] else "Downgraded"
            conf_note = f"{verb} from {confidence}: {reason}"
        confidence = new

    # sources
    keys = rule.get("sources") or [fact["source_url_or_repo_path"] or fact["source_title"]]
    cited = [source_fields(k, sources, where) for k in keys]
    src = combine_sources(cited)

    # note
    base = rule.get("note", fact["note"])
    if tag == "wc_june":
        item = re.search(r"item (\d+)", fact["note"]).group(1)
        base = (f"Item {item} of the plan's list (English text read). The Chinese notice (国办发〔2008〕53号, "
                "2008-06-11) was also read, but the excerpt stops before the list.")
        if fact["recipient_level"] == "region":
            base += (" The plan names no unit below the province ('" + fact["recipient"] + "'); a 2008-06-19 "
                     "newspaper report (read by the curator) confirms it"
                     + (", carried mainly by Shenzhen ('广东省(主要由深圳市)')" if "深圳" in fact["donor"] else "")
                     + (". Guangdong appears twice in the plan, so there are 19 donor provinces" if "深圳" in
                        fact["donor"] else "") + ".")
    if tag == "wc_may" and where != "EXTRA_ROWS":
        base = ("Relief-phase arrangement of the Ministry of Civil Affairs (May 2008; re-read by the curator on "
                "中国政府网), superseded by the June 2008 reconstruction plan, which differs for several pairs "
                "(e.g. 河北 崇州→平武, 吉林 平武→黑水, 福建 理县→彭州, 湖南 彭州→理县, 天津 茂县→陕西, 黑龙江 温江→剑阁).")
        if fact["donor"] in SHORT_PROVINCE_NAMES:
            base += f" The notice names the donor '{fact['donor']}'."
    if tag == "covid_superseded":
        base = ("SUPERSEDED: the widely shared 16-pair list after the NHC press conference of 7 Feb 2020 (which "
                "only said '16个省'); 中国之声 (2020-02-10) called it 网传 and gave the official 19-province list "
                "of 10 Feb. Same list on several reposting sites.")
    if tag == "ew1996":
        base = EW_1996_NOTE
    if tag == "ew2016" and fact["donor"] != "佛山市":
        if "cnnb" in fact["source_url_or_repo_path"]:
            base = EW_2016_OFFICIAL_NOTE
        else:
            base = EW_2016_NOTES.get((fact["donor"], fact["recipient"])) or EW_2016_NOTES[fact["donor"]]
            replacement = {"厦门市": "gscn_linxia_2016", "广州市": "guangzhou_daily_2025_notes",
                           "福州市": "bkwk_fuzhou_dingxi"}.get(fact["donor"])
            if replacement:  # the paraphrase the notes cite does not list these pairs
                src = combine_sources([source_fields(replacement, sources, where)])
    if tag == "ew2016" and fact["donor"] == "佛山市":
        base = "'2016年，佛山市对口帮扶凉山州' (川观新闻 2021-05-18)."
    if tag == "ew2021" and not base:
        base = "2021 round (《关于坚持和完善东西部协作机制的意见》, 2021)."
    if len(donors) > 1 or len(recipients) > 1:
        split_note = f"Split from '{fact['donor'] if len(donors) > 1 else fact['recipient']}' in the notes."
    else:
        split_note = ""
    end_note = END_TEXT[end] if valid_to is None else ""
    if valid_to is None and not end:
        fail(f"{where}: open window without saying whether in force or unknown")
    if rule.get("repost_evidence"):  # the linked source does not name the pair; the repost does
        src = {**src, "_repost_only": True}
    confidence, repost_note = cap_for_repost(confidence, src)
    note = join_notes(base, rule.get("add", ""), window_note, split_note, conf_note, repost_note, end_note)

    # status and the meaning of valid_from
    if valid_to is None:
        status = "in_force" if end.startswith("in_force") else "unknown"
    else:
        status = "superseded" if tag in SUPERSEDED_TAGS or rule.get("superseded") else "ended"
    lower_bound = LOWER_BOUND in (rule.get("add", "") + rule.get("note", ""))
    basis = rule.get("basis") or ("first_documented" if lower_bound else "inferred" if tag == "ew1996" else "stated")

    windows = [(valid_from, valid_to, status, basis, None)]
    if "split_at" in rule:  # the donor changed level during the pairing: one row per form of the unit
        year = rule["split_at"]
        windows = [(valid_from, year - 1, "superseded", basis, "prefecture"), (year, valid_to, status, "inferred", None)]
    out = []
    for start, stop, state, how, donor_level_then in windows:
        for dname, dcode, dlevel in donors:
            for rname, rcode, rlevel in recipients:
                out.append({
                    "programme_id": programme, "donor_code": dcode, "donor_name": dname,
                    "donor_level": donor_level_then or dlevel, "recipient_code": rcode, "recipient_name": rname,
                    "recipient_level": rlevel, "valid_from": start, "valid_to": stop, "status": state,
                    "start_basis": how, "superseded_by": "", **src, "confidence": confidence, "note": note,
                    "_tag": tag, "_donor_raw": fact["donor"], "_recipient_raw": fact["recipient"], "_where": where,
                })
    return out


# ---------------------------------------------------------------------------------------------------
# 9. Aid figures: every row of facts/aid_figures.csv, one figure per number (explicit conversion).
#    F(measure, value, unit, start, end, cumulative, note). "at least" where the notes say "+",
#    "about" where they say "~"/"近".
# ---------------------------------------------------------------------------------------------------
def F(measure, value, unit, start, end, cumulative, note=""):
    return {"measure": measure, "value": value, "unit": unit, "period_start": start, "period_end": end,
            "cumulative": cumulative, "_note": note}


AT_LEAST = "At least this value (the source says '{}')."
AID = [
    # (facts row, figure text it must start with, programme_id, donor, recipient, figures, extras)
    (0, "cumulative aid projects funds", "tibet_1994", "17个对口支援省市和22家中央企业、金融机构", "西藏（74个县区）",
     [F("funds", 643, "亿元", 1994, 2024, True, "Aid funds for 30 years of pairing aid; the same release gives "
                                                  "8204 projects.")], {}),
    (1, "aid cadres/talents sent", "tibet_1994", "all donors", "西藏",
     [F("cadres", 12000, "人", 1994, 2024, True,
        "At least 12000 per the press release ('12000+', 10 batches); another report in the notes says "
        "'10批、近1.2万名' (nearly 12,000), so read as about 12,000.")], {}),
    (2, "aid funds by 17 partner provinces", "tibet_1994", "17 partner provinces", "西藏",
     [F("funds", 114.84, "亿元", 2013, 2016, True, "'11.484 billion yuan'.")], {}),
    (3, "cumulative free aid", "tibet_1994", "provinces, ministries, SOEs", "西藏",
     [F("funds", 133, "亿元", 1994, 2012, True, AT_LEAST.format("133+") + " Free aid in funds and materials; the "
                                                                         "same report gives 4700+ cadres and about "
                                                                         "4400 projects.")], {}),
    (4, "20-year totals", "tibet_1994", "17 provinces etc.", "西藏",
     [F("funds", 260, "亿元", 1994, 2014, True),
      F("cadres", 6000, "人", 1994, 2014, True, AT_LEAST.format("6000+")),
      F("projects", 7000, "个", 1994, 2014, True, AT_LEAST.format("7000+"))], {}),
    (5, "Shandong→Shigatse", "tibet_1994", "山东省", "日喀则市",
     [F("funds", 61.8, "亿元", 1994, 2024, True), F("projects", 1608, "个", 1994, 2024, True),
      F("cadres", 657, "人", 1994, 2024, True)], {}),
    (6, "Shanghai→Shigatse", "tibet_1994", "上海市", "日喀则地区",
     [F("funds", 21.86, "亿元", 1995, 2013, True, "To June 2013."), F("cadres", 308, "人", 1995, 2013, True,
                                                                       "To June 2013."),
      F("projects", 987, "个", 1995, 2013, True, "To June 2013.")], {}),
    (7, "Hebei→Ngari", "tibet_1994", "河北省", "阿里地区",
     [F("funds", 28.18, "亿元", 1994, 2024, True), F("projects", 467, "个", 1994, 2024, True),
      F("cadres", 495, "人", 1994, 2024, True)], {}),
    (8, "Shaanxi→Ngari", "tibet_1994", "陕西省", "阿里地区",
     [F("funds", 23, "亿元", 1994, 2024, True),
      F("projects", 300, "个", 1994, 2024, True, AT_LEAST.format("300+")),
      F("cadres", 1300, "人", 1994, 2024, True, AT_LEAST.format("1300+"))], {}),
    (9, "Heilongjiang→Shigatse", "tibet_1994", "黑龙江省", "日喀则市",
     [F("funds", 15.31, "亿元", 2002, 2024, True, "To July 2024."),
      F("projects", 613, "个", 2002, 2024, True, "To July 2024."),
      F("cadres", 380, "人", 2002, 2024, True, "To July 2024.")], {}),
    (10, "Anhui→Shannan", "tibet_1994", "安徽省", "山南市",
     [F("funds", 29.18, "亿元", 2002, 2024, True), F("projects", 507, "个", 2002, 2024, True),
      F("cadres", 1036, "人", 2002, 2024, True)], {}),
    (11, "Zhejiang→Nagqu", "tibet_1994", "浙江省", "那曲市",
     [F("funds", 60, "亿元", 1994, 2024, True, AT_LEAST.format("60+")),
      F("projects", 438, "个", 1994, 2024, True), F("cadres", 645, "人", 1994, 2024, True)], {}),
    (12, "Beijing→Lhasa", "tibet_1994", "北京市", "拉萨市",
     [F("funds", 28, "亿元", 1994, 2014, True), F("cadres", 413, "人", 1994, 2014, True),
      F("projects", 200, "个", 1994, 2014, True, AT_LEAST.format("200+"))], {}),
    (13, "Tianjin→Chamdo", "tibet_1994", "天津市", "昌都地区",
     [F("funds", 5.11, "亿元", 1994, 2010, True, "Funds and materials, to February 2010."),
      F("cadres", 177, "人", 1994, 2010, True, "To February 2010.")], {}),
    (14, "aid funds by 19 provinces in 2019", "xinjiang_2010", "19 provinces", "新疆",
     [F("funds", 188, "亿元", 2019, 2019, False, AT_LEAST.format("188+") + " The same report gives 1,935 projects "
                                                                        "in 2019 and about 1200亿元 over 2010–2019.")],
     {}),
    (15, "aid funds by 19 provinces in 2025", "xinjiang_2010", "19 provinces", "新疆",
     [F("funds", 197, "亿元", 2025, 2025, False)], {}),
    (16, "cumulative aid funds", "xinjiang_2010", "19 provinces", "新疆",
     [F("funds", 2000, "亿元", None, 2025, True, "About: the source says '近2000' (nearly 2000; 援疆省市累计落实). "
                                                 "80% went to county level and below and to livelihoods.")], {}),
    (17, "aid projects and funds 2010–2016", "xinjiang_2010", "19 provinces", "新疆",
     [F("projects", 7080, "个", 2010, 2016, True, "Secondary citation inside a journal article."),
      F("funds", 724, "亿元", 2010, 2016, True, "Secondary citation inside a journal article.")], {}),
    (18, "first round (1997–2010) investment", "", "14 provinces (reportedly)", "新疆",
     [F("funds", 300, "亿元", 1997, 2010, True, "About: SCMP says the provinces 'reportedly invested nearly 30 "
                                                 "billion yuan'. First round (1997–2010), before xinjiang_2010, so "
                                                 "no programme_id.")], {}),
    (19, "Beijing→Hotan & 14th div", "xinjiang_2010", "北京市", "和田地区、兵团第十四师",
     [F("funds", 192.4, "亿元", 2012, 2023, True, "Since 2012."), F("cadres", 3574, "人", 2012, 2023, True),
      F("projects", 1630, "个", 2012, 2023, True)], {}),
    (20, "Jiangsu→Xinjiang cumulative", "xinjiang_2010", "江苏省", "伊犁州、克州、兵团",
     [F("funds", 321, "亿元", 1997, 2023, True, "Since 1997: includes the 1997–2010 round."),
      F("cadres", 3000, "人", 1997, 2023, True, AT_LEAST.format("3000+") + " Since 1997."),
      F("projects", 3000, "个", 1997, 2023, True, AT_LEAST.format("3000+") + " Since 1997.")], {}),
    (21, "Shanghai 8th batch", "xinjiang_2010", "上海市", "喀什地区四县",
     [F("funds", 63.19, "亿元", 2014, 2016, True, "Shanghai's 8th batch (3 years)."),
      F("projects", 377, "个", 2014, 2016, True, "Shanghai's 8th batch (3 years).")], {}),
    (22, "Shenzhen→Kashgar", "xinjiang_2010", "深圳市", "喀什市、塔什库尔干塔吉克自治县",
     [F("funds", 80, "亿元", 2010, 2019, True, AT_LEAST.format("80+")),
      F("cadres", 800, "人", 2010, 2019, True, AT_LEAST.format("800+")),
      F("projects", 400, "个", 2010, 2019, True, AT_LEAST.format("400+"))], {}),
    (23, "Hebei→Bayingolin+2nd div", "xinjiang_2010", "河北省", "巴州、兵团第二师",
     [F("funds", 16.6, "亿元", 2010, 2014, True), F("projects", 75, "个", 2010, 2014, True)], {}),
    (24, "Henan→Hami+13th div", "xinjiang_2010", "河南省", "哈密、兵团第十三师",
     [F("funds", 17.64, "亿元", 2011, 2015, True, "12th Five-Year Plan period."),
      F("funds", 25.946, "亿元", 2016, 2020, True, "13th Five-Year Plan period.")], {}),
    (25, "Tianjin→Hotan east 3 counties", "xinjiang_2010", "天津市", "策勒县、于田县、民丰县",
     [F("funds", 26.83, "亿元", 2011, 2015, True), F("projects", 389, "个", 2011, 2015, True)], {}),
    (26, "Shanxi→Changji/Fukang/6th div", "xinjiang_2010", "山西省", "阜康市、兵团第六师等",
     [F("funds", 35.1, "亿元", 2010, 2024, True), F("projects", 537, "个", 2010, 2024, True)], {}),
    (27, "Fujian→Changji", "xinjiang_2010", "福建省", "昌吉州",
     [F("funds", 33.7, "亿元", 1999, 2019, True, "20 years since 1999: includes the years before 2010."),
      F("projects", 500, "个", 1999, 2019, True, AT_LEAST.format("500+") + " Since 1999.")], {}),
    (28, "Beijing→Yushu 10-year total", "qinghai_2010", "北京市", "玉树州",
     [F("funds", 26.6, "亿元", 2010, 2020, True, "Title: '累计投入资金超26亿元'."),
      F("cadres", 176, "人", 2010, 2020, True), F("projects", 319, "个", 2010, 2020, True)], {}),
    (29, "Qinghai 6 Tibetan prefectures", "qinghai_2010", "6 donor provinces", "青海6个藏族自治州",
     [F("funds", 100, "亿元", 2010, 2018, True, AT_LEAST.format("100+")),
      F("projects", 1626, "个", 2010, 2018, True), F("cadres", 552, "人", 2010, 2018, True, "Officials sent.")], {}),
    (30, "Zhejiang→Haixi", "qinghai_2010", "浙江省", "海西州",
     [F("funds", 30.98, "亿元", 2010, 2025, True), F("projects", 407, "个", 2010, 2025, True),
      F("cadres", 238, "人", 2010, 2025, True)], {}),
    (31, "central reconstruction fund", "", "中央财政", "汶川地震灾区",
     [F("funds", 3026, "亿元", 2008, 2010, True, "Central government reconstruction fund, not pairing aid: context "
                                                 "for wenchuan_2008_june, hence no programme_id.")], {}),
    (32, "Jiangxi→Xiaojin", "wenchuan_2008_june", "江西省", "小金县",
     [F("funds", 13, "亿元", 2008, 2011, True, AT_LEAST.format("13+")), F("projects", 48, "个", 2008, 2011, True)],
     {}),
    (33, "pairing aid standard", "wenchuan_2008_june", "19 provinces", "18 counties and the worst-hit areas of "
                                                                          "Gansu and Shaanxi",
     [F("other", 1, "% of the donor's previous-year local fiscal revenue, each year", 2008, 2011, False,
        "'各支援省市每年对口支援实物工作量按不低于本省市上年地方财政收入的1%考虑，连续支援三年' (minimum, for three "
        "years).")],
     {"source": "sohu_wenchuan_1pct_2008",
      "conf": ("high", "the rule was read by the curator in a 2008-06-19 newspaper report on the "
                       "plan (the notes had only a web-novel paraphrase)")}),
    (34, "13th 支洽会 signed projects", "three_gorges_1992", "all donors", "三峡库区",
     [F("projects", 102, "个", 2021, 2021, False, "Signed at the 13th 支洽会 (万州, October 2021); 19 projects "
                                                 "(210.58亿元) went to Hubei's part of the reservoir area."),
      F("investment_signed", 1046.88, "亿元", 2021, 2021, False, "Signed at the 13th 支洽会 (万州, October 2021).")],
     {}),
    (35, "cumulative funds introduced via pairing", "three_gorges_1992", "all donors", "三峡库区",
     [F("other", 2320.34, "亿元", 1992, 2017, True, "Funds introduced through pairing: 经济建设类 2246.94亿元 and "
                                                      "社会公益类 73.4亿元.")], {}),
    (36, "Chongqing reservoir cumulative", "three_gorges_1992", "all donors", "三峡重庆库区",
     [F("other", 1883, "亿元", None, 2024, True, "Total funds introduced, to end-2024."),
      F("funds", 66, "亿元", None, 2024, True, "Free aid (无偿援助), to end-2024."),
      F("projects", 2200, "个", None, 2024, True, AT_LEAST.format("2200+") + " To end-2024.")], {}),
    (37, "Shanghai→Wanzhou", "three_gorges_1992", "上海市", "万州区",
     [F("funds", 9.94, "亿元", 1992, 2007, True), F("projects", 391, "个", 1992, 2007, True),
      F("other", 2000, "人", 1992, 2007, True, "Migrants resettled in Shanghai.")], {}),
    (38, "1996–2014 totals", "east_west_1996", "eastern provinces", "western provinces",
     [F("funds", 118.2, "亿元", 1996, 2014, True, "Fiscal aid."),
      F("other", 12000, "亿元", 1996, 2014, True, "Enterprise investment; the source says '1.2万亿' (= 12000亿元)."),
      F("other", 664.3, "万人", 1996, 2014, True, "Labour exported to the east (the source says '664.3万').")], {}),
    (39, "2003–2010 totals", "east_west_1996", "15 eastern provinces and cities", "11 western provinces",
     [F("funds", 44.4, "亿元", 2003, 2010, True, "Government aid."),
      F("cadres", 2592, "人", 2003, 2010, True, "Cadres sent east→west."),
      F("cadres", 3610, "人", 2003, 2010, True, "Cadres sent west→east for training posts.")], {}),
    (40, "Jiangsu→Shaanxi 2021", "east_west_1996", "江苏省", "陕西省",
     [F("funds", 26.9, "亿元", 2021, 2021, False), F("projects", 1343, "个", 2021, 2021, False)], {}),
    (41, "Shanghai→Yunnan: enterprises guided", "east_west_1996", "上海市", "云南省",
     [F("enterprises", 341, "家", 2024, 2024, False, "First half of 2024; enterprises guided to invest in Yunnan."),
      F("other", 108.3, "亿元", 2024, 2024, False, "First half of 2024; investment by those enterprises.")], {}),
    (42, "Shanghai→Yunnan 2021: 180 enterprises", "east_west_1996", "上海市", "云南省",
     [F("enterprises", 180, "家", 2021, 2021, False, "The review's figure, NOT found in any source read; cite it as "
                                                     "the review's figure only."),
      F("other", 56.7, "亿元", 2021, 2021, False, "The review's figure, NOT found in any source read; cite it as the "
                                                  "review's figure only.")],
     {"source": "the_review"}),
    (43, "Fujian→Ningxia 1996–2011", "east_west_1996", "福建省", "宁夏回族自治区",
     [F("funds", 7.74, "亿元", 1996, 2011, True)], {}),
    (44, "Foshan→Liangshan 2016–2020", "east_west_1996", "佛山市", "凉山州",
     [F("funds", 24.5, "亿元", 2016, 2020, True), F("projects", 900, "个", 2016, 2020, True, AT_LEAST.format("900+")),
      F("cadres", 500, "人", 2016, 2020, True, AT_LEAST.format("500+"))], {}),
    (45, "Zhejiang–Jilin signed projects", "northeast_east_2017", "浙江省", "吉林省",
     [F("projects", 355, "个", 2017, 2025, True, AT_LEAST.format("355+") + " Signed cooperation projects."),
      F("investment_signed", 1500, "亿元", 2017, 2025, True, "About ('~1500'): agreed funds of the signed projects.")],
     {}),
    (46, "Heilongjiang–Guangdong projects", "northeast_east_2017", "广东省", "黑龙江省",
     [F("projects", 290, "个", 2017, 2019, True, "To June 2019; 849 Northeast–East cooperation projects in all by "
                                                  "April 2019."),
      F("other", 3000, "亿元", 2017, 2019, True, "About ('~3000'): total investment of those projects, to June 2019.")],
     {}),
    (47, "Shanghai–Sanming signed projects", "revolutionary_base_2022", "上海市", "三明市",
     [F("projects", 71, "个", 2022, 2024, True, "Signed projects."),
      F("investment_signed", 340.33, "亿元", 2022, 2024, True)], {}),
]
AID_COLUMNS = ["figure_id", "programme_id", "measure", "value", "unit", "period_start", "period_end", "cumulative",
               "donor", "recipient", "source_title", "source_url", "source_ids", "confidence", "note"]


def build_aid(facts: Path, sources: Sources) -> list[dict]:
    rows = read_csv(facts / "aid_figures.csv")
    if sorted(entry[0] for entry in AID) != list(range(len(rows))):
        fail(f"aid_figures.csv has {len(rows)} rows; AID converts {len(AID)} (facts changed?)")
    out = []
    for index, prefix, programme, donor, recipient, figures, extra in AID:
        fact = rows[index]
        where = f"aid_figures.csv, line {index + 2}"
        if not fact["figure"].startswith(prefix):
            fail(f"{where}: figure {fact['figure']!r} does not start with {prefix!r} (facts changed?)")
        key = extra.get("source") or fact["source_url"] or "the_review"
        src = source_fields(key, sources, where)
        src["_repost_only"] = src["_repost_only"] and not src["source_url"]
        confidence, conf_note = fact["confidence"], ""
        if "conf" in extra:
            new, reason = extra["conf"]
            if LEVEL_RANK[new] > LEVEL_RANK[confidence] and "read by the curator" not in reason:
                fail(f"{where}: upgrade without a source read by the curator")
            conf_note = f"{'Upgraded' if LEVEL_RANK[new] > LEVEL_RANK[confidence] else 'Downgraded'} from " \
                        f"{confidence}: {reason}"
            confidence = new
        confidence, repost_note = cap_for_repost(confidence, src)
        conf_note = join_notes(conf_note, repost_note)
        for figure in figures:
            out.append({
                "programme_id": programme, "measure": figure["measure"], "value": figure["value"],
                "unit": figure["unit"], "period_start": figure["period_start"], "period_end": figure["period_end"],
                "cumulative": "true" if figure["cumulative"] else "false", "donor": donor, "recipient": recipient,
                **src, "confidence": confidence,
                "note": join_notes(figure["_note"], conf_note),
                "_where": where,
            })
    return out


# ---------------------------------------------------------------------------------------------------
# 10. Regions: all 34 province-level units, every unit used in a pairing, and their parents.
# ---------------------------------------------------------------------------------------------------
REGION_COLUMNS = ["code", "code_system", "name_zh", "name_en", "name_pinyin", "level", "parent_code",
                  "region_group", "valid_from", "source", "note"]


def build_regions(pairings: list[dict], codes: Codes, places: "Places") -> list[dict]:
    used = {r[f"{side}_code"] for r in pairings for side in ("donor", "recipient") if r[f"{side}_code"]}
    needed = set(PROVINCES) | used
    for code in list(needed):  # parents (the parent_code foreign key must resolve)
        parent = codes.parent(code)
        while parent:
            needed.add(parent)
            parent = codes.parent(parent)
    rows = []
    for code in sorted(needed, key=lambda c: (c.startswith("XPCC"), c)):
        if code.startswith("XPCC"):
            number = int(code[4:])
            ordinal = XPCC_EN_ORD.get(number, f"{number}th")
            seat = XPCC_SEATS.get(number)
            seat_codes = codes.by_name.get(seat, []) if seat else []
            note = (f"Seat as named in the notes: {seat}" + (f" (GB/T 2260 {seat_codes[0]})" if seat_codes else "")
                    + ". Called 农{}师 in 2010 sources.".format(XPCC_ORDINALS[number])) if seat else \
                f"Called 农{XPCC_ORDINALS[number]}师 in 2010 sources."
            rows.append({
                "code": code, "code_system": "xpcc", "name_zh": f"新疆生产建设兵团第{XPCC_ORDINALS[number]}师",
                "name_en": f"Xinjiang Production and Construction Corps {ordinal} Division",
                "name_pinyin": f"Xinjiang Shengchan Jianshe Bingtuan Di-{XPCC_PINYIN[number].lower()} Shi",
                "level": "xpcc_division", "parent_code": "650000", "region_group": "west", "source": XPCC_SOURCE,
                "note": note,
            })
            continue
        if code not in codes.name:
            fail(f"code {code} is not in cpca adcodes")
        province = code[:2] + "0000"
        if code in PROVINCES:
            name_en, pinyin, group = PROVINCES[code]
        else:
            if code not in UNIT_NAMES:
                fail(f"{code} {codes.name[code]}: add its English name and pinyin to UNIT_NAMES")
            name_en, pinyin = UNIT_NAMES[code]
            group = PROVINCES[province][2]
        note = REGION_NOTES.get(code, "")
        if code not in used and code not in PROVINCES:
            note = join_notes(note, "Included as the parent of units used in pairings")
        rows.append({
            "code": code, "code_system": "gbt2260", "name_zh": codes.name[code], "name_en": name_en,
            "name_pinyin": pinyin, "level": codes.level(code), "parent_code": codes.parent(code),
            "region_group": group, "valid_from": places.current_since(code), "source": CPCA_SOURCE, "note": note,
        })
    unused_names = set(UNIT_NAMES) - {r["code"] for r in rows}
    if unused_names:
        fail(f"UNIT_NAMES has codes no row needs: {sorted(unused_names)}")
    return rows


# ---------------------------------------------------------------------------------------------------
# 11. Checks and output.
# ---------------------------------------------------------------------------------------------------
def check(regions: list[dict], pairings: list[dict], aid: list[dict], hosts: tuple[str, ...],
          places: "Places") -> None:
    level_of = {r["code"]: r["level"] for r in regions}
    provinces = [r for r in regions if r["level"] == "province"]
    if len(provinces) != 34:
        fail(f"{len(provinces)} province-level units, not 34")
    groups = defaultdict(int)
    for r in provinces:
        groups[r["region_group"]] += 1
    if dict(groups) != GROUP_COUNTS:
        fail(f"region groups {dict(groups)} != {GROUP_COUNTS}")
    ids = [r["pairing_id"] for r in pairings]
    if len(ids) != len(set(ids)):
        fail("duplicate pairing_id")
    for r in pairings:
        where = f"{r['pairing_id']} ({r['_where']})"
        for side in ("donor", "recipient"):
            code, level = r[f"{side}_code"], r[f"{side}_level"]
            if level == "university":
                if code:
                    fail(f"{where}: a university has no code")
            elif code not in level_of:
                fail(f"{where}: {side} code {code!r} unresolved")
        if r["valid_to"] is not None and r["valid_to"] < r["valid_from"]:
            fail(f"{where}: window ends before it starts")
        if (r["status"] in ("in_force", "unknown")) != (r["valid_to"] is None):
            fail(f"{where}: status {r['status']} contradicts valid_to {r['valid_to']}")
        for side in ("donor", "recipient"):
            problem = places.problem(r[f"{side}_code"], r[f"{side}_name"], r[f"{side}_level"], r["valid_from"])
            if problem:
                fail(f"{where}, {side}: {problem}")
        if r["confidence"] == "high" and not r["source_title"]:
            fail(f"{where}: high confidence without source_title")
        if r["source_url"] and not on_allow_list(r["source_url"], hosts):
            fail(f"{where}: source_url host {host_of(r['source_url'])} is not in data/source_hosts.csv")
        if not r["source_title"]:
            fail(f"{where}: every row needs a source title")
        for field in ("source_title", "note", "donor_name", "recipient_name"):
            check_published_text(r[field], f"{where}, {field}", hosts)
    # overlapping windows: same programme and pair, by codes (or names for universities) and by names
    for key_fields in (("donor_code", "donor_name", "recipient_code", "recipient_name"),
                       ("donor_name", "recipient_name")):
        spans = defaultdict(list)
        for r in pairings:
            spans[(r["programme_id"],) + tuple(r[f] for f in key_fields)].append(r)
        for key, group in spans.items():
            group = sorted(group, key=lambda r: r["valid_from"])
            for earlier, later in zip(group, group[1:]):
                end = earlier["valid_to"] if earlier["valid_to"] is not None else 9999
                if later["valid_from"] <= end:
                    fail(f"overlapping windows: {earlier['pairing_id']} and {later['pairing_id']} ({key})")
    for r in aid:
        if r["source_url"] and not on_allow_list(r["source_url"], hosts):
            fail(f"{r['figure_id']}: source_url not allow-listed")
        if r["confidence"] == "high" and not r["source_title"]:
            fail(f"{r['figure_id']}: high confidence without source_title")
        for field in ("source_title", "note"):
            check_published_text(r[field], f"{r['figure_id']} ({r['_where']}), {field}", hosts)


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row[c] for c in columns])


PLACE_NAMES_CSV = REPO / "data" / "place_names.csv"
# Names the notes use that are later than the code list's own name (the code list predates the change).
LATER_NAMES = {"那曲市": ("那曲地区", "那曲地区 became 那曲市 in 2017 under the new code 540600, which the binding code "
                                  "list (cpca 0.5.5) lacks; the table keeps code 542400")}
SUCCESSOR_PROGRAMME = {"wenchuan_2008_may": "wenchuan_2008_june"}
# Rounds in which a later list re-assigned each donor as a whole: the successor is the same donor's new pair.
DONOR_LEVEL_SUCCESSION = {"wenchuan_2008_may", "covid_hubei_2020"}


def names_at_time(pairings: list[dict], places: Places) -> None:
    """Each pair shows the name its units had in the year it began (mapped to today's code)."""
    for r in pairings:
        for side in ("donor", "recipient"):
            shown = r[f"{side}_name"]
            then = places.name_then(r[f"{side}_code"], shown, r["valid_from"])
            if shown in LATER_NAMES:
                then, why = LATER_NAMES[shown]
                r["note"] = join_notes(r["note"], f"The notes say {shown}: {why}")
            if then != shown:
                r[f"{side}_name"] = then
                if shown not in LATER_NAMES:
                    r["note"] = join_notes(r["note"], f"{then} in {r['valid_from']}; the notes give today's name "
                                                      f"{shown}")


def link_successors(pairings: list[dict]) -> None:
    """superseded rows point to the row of the later list that replaced them, where the table has one."""
    def province(code: str) -> str:
        return "65" if code.startswith("XPCC") else code[:2]
    for r in pairings:
        if r["status"] != "superseded":
            continue
        programme = SUCCESSOR_PROGRAMME.get(r["programme_id"], r["programme_id"])
        later = [c for c in pairings if c["programme_id"] == programme and c is not r
                 and c["valid_from"] in (r["valid_to"], r["valid_to"] + 1)]
        tiers = [
            [c for c in later if (c["donor_code"], c["recipient_code"]) == (r["donor_code"], r["recipient_code"])],
            [c for c in later if c["donor_code"] == r["donor_code"]
             and province(c["recipient_code"]) == province(r["recipient_code"])],
            [c for c in later if province(c["donor_code"]) == province(r["donor_code"])
             and province(c["recipient_code"]) == province(r["recipient_code"])],
        ]
        if r["programme_id"] in DONOR_LEVEL_SUCCESSION:
            tiers.append([c for c in later if c["donor_code"] == r["donor_code"]])
        for number, tier in enumerate(tiers):
            if len(tier) == 1:
                r["superseded_by"] = tier[0]["pairing_id"]
                break
            if len(tier) > 1 and number < 2:  # several rows for the same donor: the rules must say which
                fail(f"{r['pairing_id']}: several possible successors {[c['pairing_id'] for c in tier]}")
            if len(tier) > 1:  # several new donors of the same province: no single successor
                break


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--facts", type=Path, required=True,
                        help="folder of the research notes (pair files and aid_figures.csv); not in the repository")
    parser.add_argument("--adcodes", type=Path, default=DEFAULT_ADCODES,
                        help="cpca 0.5.5 adcodes.csv (default: from the installed cpca package)")
    parser.add_argument("--out", type=Path, default=REPO / "data")
    args = parser.parse_args(argv)
    if not args.facts.is_dir():
        fail(f"{args.facts}: facts folder not found (pass --facts DIR)")

    hosts = vetted_hosts()
    sources = Sources(SOURCES_CSV, hosts)
    place_rows = read_csv(PLACE_NAMES_CSV)
    codes = Codes(args.adcodes)
    ili_direct_counties(codes)
    report = {"not_converted": []}
    pairings = build_pairings(args.facts, codes, sources, report)
    order = ["tibet_1994", "xinjiang_2010", "wenchuan_2008_may", "wenchuan_2008_june", "covid_hubei_2020",
             "east_west_1996", "three_gorges_1992", "qinghai_2010", "northeast_east_2017", "wanbei_2021",
             "revolutionary_base_2022", "moe_universities_2001"]
    pairings.sort(key=lambda r: order.index(r["programme_id"]))  # stable: keeps the notes' order within one
    counters = defaultdict(int)
    for r in pairings:
        counters[r["programme_id"]] += 1
        r["pairing_id"] = f"{r['programme_id']}-{counters[r['programme_id']]:03d}"
    aid = build_aid(args.facts, sources)
    for number, r in enumerate(aid, start=1):
        r["figure_id"] = f"A{number:03d}"
    regions = build_regions(pairings, codes, Places([], place_rows))
    places = Places(regions, place_rows)
    names_at_time(pairings, places)
    link_successors(pairings)
    unused = set(sources.by_id) - sources.used
    if unused:
        fail(f"data/curation/sources.csv: sources no row uses: {sorted(unused)}")
    check(regions, pairings, aid, hosts, places)

    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "regions.csv", REGION_COLUMNS, regions)
    write(args.out / "pairings.csv", PAIR_COLUMNS, pairings)
    write(args.out / "aid_figures.csv", AID_COLUMNS, aid)
    print(f"regions.csv: {len(regions)} rows; pairings.csv: {len(pairings)} rows; aid_figures.csv: {len(aid)} rows")
    for line in report["not_converted"]:
        print(f"not converted: {line}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BuildError as error:
        print(f"build_pairing_tables: {error}", file=sys.stderr)
        sys.exit(1)
