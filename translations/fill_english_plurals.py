#!/usr/bin/env python3
"""Fills the English plural forms of translations/transom_en.ts after `cmake --build build --target
transom_ui_lupdate`: "%n record(s)" becomes "%n record" / "%n records". Source strings are English, so only
messages with a count need an English "translation". Run it from the repository root."""
import re
import xml.etree.ElementTree as ET

PATH = "translations/transom_en.ts"
SPECIAL = {"check(s) pass": ("check passes", "checks pass")}


def forms(source):
    one, many = source, source
    for key, (singular, plural) in SPECIAL.items():
        one, many = one.replace(key, singular), many.replace(key, plural)
    one = re.sub(r"\(s\)", "", one)
    many = re.sub(r"\(s\)", "s", many)
    return one, many


tree = ET.parse(PATH)
for message in tree.getroot().iter("message"):
    if message.get("numerus") != "yes":
        continue
    source = message.find("source").text
    translation = message.find("translation")
    for child in list(translation):
        translation.remove(child)
    translation.attrib.pop("type", None)
    translation.text = None
    for text in forms(source):
        form = ET.SubElement(translation, "numerusform")
        form.text = text
tree.write(PATH, encoding="utf-8", xml_declaration=True)
