"""What gets painted and what counts as still readable, on readings built by hand (no
Tesseract needed)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from deident.formats import ocr


def _reading(*lines: list[tuple[str, float]]) -> ocr.Reading:
    words, x = [], 0
    for number, line in enumerate(lines):
        for text, confidence in line:
            words.append(ocr.Word(text, (x, number * 40, x + 10 * len(text), number * 40 + 30),
                                  confidence, number))
            x += 10 * len(text) + 10
    return ocr.Reading(words)


def test_lines_map_each_character_to_its_word() -> None:
    reading = _reading([("Madame", 96), ("Ghislaine", 95)], [("NIR", 92), (":", 90)])
    assert [text for text, _ in reading.lines] == ["Madame Ghislaine", "NIR :"]
    owners = reading.lines[0][1]
    assert owners[:6] == [0] * 6 and owners[6] is None and owners[7:] == [1] * 9


def test_a_replacement_paints_its_words_and_draws_the_surrogate() -> None:
    reading = _reading([("Patiente", 96), ("Ghislaine", 95), ("Brossolette", 94)])
    paints, lines, values = ocr.plan(reading, [[(9, 30, "Rania Bastien")]])
    assert lines == ["Patiente Rania Bastien"]
    assert values == ["Ghislaine Brossolette"]
    assert len(paints) == 1 and paints[0].text == "Rania Bastien"
    first, last = reading.words[1].box, reading.words[2].box
    assert paints[0].box == (first[0], first[1], last[2], last[3])


def test_part_of_a_word_repaints_the_whole_word_with_the_new_text() -> None:
    reading = _reading([("Mme.Brossolette", 95), ("revue", 96)])
    paints, lines, _ = ocr.plan(reading, [[(4, 15, "Bastien")]])
    assert [p.text for p in paints] == ["Mme.Bastien"] and lines == ["Mme.Bastien revue"]


def test_smudged_identifiers_are_painted_though_nothing_was_detected() -> None:
    smudged_nir = _reading([("NIR", 92), (":", 93), ("2", 96), ("84", 79), ("05°75:123", 5)])
    misread_nir = _reading([("NIR:28405.75423", 61), ("45672", 92)])
    after_cue = _reading([("Nom", 95), (":", 94), ("Brossoiette", 41)])
    for reading in (smudged_nir, misread_nir, after_cue):
        paints, lines, values = ocr.plan(reading, [[]])
        assert paints and all(p.text == "" for p in paints)  # painted blank
        assert all(v not in lines[0] for v in values)  # and out of the text layer


def test_clean_words_and_doses_are_not_painted() -> None:
    reading = _reading([("lévodopa", 95), ("250", 96), ("mg", 93), ("le", 95),
                        ("14/03/2021", 96)], [("Maladie", 91), ("de", 55), ("Parkinson", 93)])
    paints, _, _ = ocr.plan(reading, [[], []])
    assert paints == []


def test_leaked_finds_words_and_digits_without_separators() -> None:
    values = ["Ghislaine Brossolette", "2 84 05 75 123 456 72"]
    assert ocr.leaked(values, ["Rania Bastien"], "Patiente Rania Bastien\nNIR 1 90 12") == 0
    assert ocr.leaked(values, ["Rania Bastien"], "Mme BROSSOLETTE") == 1
    assert ocr.leaked(values, [], "NIR : 2-84-05-75-123.456 72") == 1
    # Words the surrogate or the untouched text also holds are not evidence.
    assert ocr.leaked(["12 rue des Lilas"], ["8 rue des Roses"], "8 rue des Roses") == 0


def test_paint_covers_the_box_and_draws_in_the_ink_colour() -> None:
    image = Image.new("L", (300, 80), 245)
    ImageDraw.Draw(image).rectangle((20, 20, 200, 50), fill=20)  # a word's ink
    boxed = ocr.paint(image, [ocr.Paint((20, 20, 200, 50), "")], "surrogate")
    assert boxed.crop((18, 18, 202, 52)).getextrema()[0] > 200  # covered, paper colour
    drawn = ocr.paint(image, [ocr.Paint((20, 20, 200, 50), "Bastien")], "surrogate")
    assert drawn.crop((20, 20, 200, 50)).getextrema()[0] < 80  # new ink inside
    plain = ocr.paint(image, [ocr.Paint((20, 20, 200, 50), "Bastien")], "box")
    assert plain.crop((20, 20, 200, 50)).getextrema()[1] < 80  # one dark box


def test_the_cheap_test_skips_tiny_and_flat_pictures() -> None:
    assert not ocr.may_hold_text(Image.new("RGB", (24, 24), "red"))
    logo = Image.new("RGB", (400, 160), (20, 60, 140))
    ImageDraw.Draw(logo).ellipse((20, 20, 140, 140), fill=(240, 200, 40))
    assert not ocr.may_hold_text(logo)
    text = Image.new("L", (600, 100), 255)
    ImageDraw.Draw(text).text((10, 30), "Ghislaine Brossolette 14/03/1984", fill=0,
                              font_size=30)
    assert ocr.may_hold_text(text)
