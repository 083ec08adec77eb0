"""Small, real .docx files for the DOCX adapter tests.

`build_trap_docx` hides fictitious personal data in every place a Word file can hold text and
returns the planted values; `PLANTED` maps each trap to its values, so a failing test can tell
which trap leaked. The `build_*` refusal fixtures write files the adapter must refuse.
python-docx builds what it can; parts it has no API for are added as raw OPC parts, and a few
things are patched in the zip afterwards. All names, numbers and addresses are invented.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from lxml import etree
from PIL import Image, PngImagePlugin

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
}
RT_PEOPLE = "http://schemas.microsoft.com/office/2011/relationships/people"
RT_ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
RT_MAIL_MERGE_SOURCE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/mailMergeSource"
RT_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
CT_PEOPLE = "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml"
CT_CUSTOM_XML_PROPS = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
CT_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
STORE_ITEM_ID = "{6E1B0F3A-2C4D-4B8E-9A71-5D3C2E8F1A47}"
DATE = "2024-03-12T10:15:00Z"
RSIDS = ("00B47730", "00FC693F", "0006063C")  # already listed in the template's settings.xml


def nir(first13: str) -> str:
    """A NIR with its valid key (97 - number mod 97), grouped as printed on a Vitale card."""
    digits = first13.replace(" ", "")
    key = 97 - int(digits) % 97
    return f"{first13} {key:02d}"


BODY_NIR = nir("2 58 07 75 112 048")
BODY_PHONE = "06 12 47 83 95"
BODY_EMAIL = "josiane.verdelet@example.fr"
FIELD_EMAIL = "marcel.tourneur@example.fr"
LINK_EMAIL = "celestine.barrau@example.fr"

# trap -> values that must be absent from every part of a correctly pseudonymized output
PLANTED: dict[str, tuple[str, ...]] = {
    "body": ("VERDELET", BODY_NIR, BODY_PHONE, BODY_EMAIL),
    "table_cell": ("PRUNIER",),
    "nested_table": ("FAUCHEUX",),
    "split_runs": ("ABRIAL",),
    "header_default": ("QUINTARD",),
    "footer_default": ("LOUVEL",),
    "header_first": ("CHAMPEAUX",),
    "footer_first": ("MALVOISIN",),
    "header_even": ("DESFORGES",),
    "footer_even": ("BROCHARD",),
    "footnote": ("TESSEYRE",),
    "endnote": ("VIGOUROUX",),
    "comment_text": ("BAUDRIMONT",),
    "comment_author": ("LAMBERTIN",),  # w:author of the comment and word/people.xml
    "text_box": ("DELACOURT",),  # mc:Choice (wps) and mc:Fallback (VML) copies
    "content_control": ("PERRUCHOT",),  # w:sdtContent and the bound customXml/item1.xml
    "field_hyperlink": (FIELD_EMAIL,),  # instrText of a complex HYPERLINK field
    "field_merge": ("GRANDCLAUDE",),  # fldSimple instr; also in its result run
    "hyperlink_target": (LINK_EMAIL,),  # external relationship target only
    "hyperlink_tooltip": ("FERRANDOU",),
    "alt_text_descr": ("CASTAGNOU",),
    "alt_text_title": ("VAUTRIN",),
    "revision_author": ("HAUTEVILLE",),  # w:ins / w:del / w:moveFrom / w:moveTo authors
    "deleted_text": ("COUDERC",),  # w:delText
    "moved_text": ("SALIGNAC",),  # w:moveFrom (and its w:moveTo destination)
    "format_change_author": ("PLANCHARD",),  # w:rPrChange author
    "core_author": ("GOURDEL",),
    "core_last_modified_by": ("PONTCHARRA",),
    "core_title": ("LAVAURS",),
    "core_subject": ("DUCLOUX",),
    "core_keywords": ("ROCHEMAURE",),
    "core_comments": ("BOISSEROLLE",),
    "core_category": ("FAVERJON",),
    "app_company": ("RAMPILLON",),
    "app_manager": ("MOUTARDIER",),
    "app_template": ("PECHEYRAND",),
    "custom_property": ("LABROUSSE",),
    "attached_template": ("DEMONTROND",),  # external target of w:attachedTemplate
    "doc_var": ("CHASSAGNE",),
    "mail_merge": ("BARTHOUIL",),  # external target of w:dataSource and w:connectString
    "jpeg_exif": ("FONTANEILLES",),
    "jpeg_xmp": ("LAGARRIGUE",),
    "png_text": ("CAZALBOU",),
}
SPLIT_PREFIX = "Signataire : "  # starts the paragraph whose name is split across runs
REFUSAL_NAME = "PELLEGRUE"  # in the body of the refusal fixtures
ALTCHUNK_NAME = "TARDIVON"  # in word/afchunk.html


# -- helpers -------------------------------------------------------------------------------------


def _decls(*prefixes: str) -> str:
    return " ".join(f'xmlns:{p}="{NS[p]}"' for p in prefixes)


def _el(xml: str, *prefixes: str) -> etree._Element:
    """Parse one element, declaring w, r and `prefixes` on it."""
    decls = _decls("w", "r", *prefixes)
    return parse_xml(re.sub(r"^<[\w:]+", lambda m: f"{m.group(0)} {decls}", xml, count=1))


def _run(text: str, rpr: str = "") -> str:
    return f'<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _set_blob(part: Part, blob: bytes) -> None:
    if isinstance(part, XmlPart):
        part._element = parse_xml(blob)
    else:
        part._blob = blob


def _related(source: object, reltype: str) -> Part:
    return next(rel.target_part for rel in source.rels.values() if rel.reltype == reltype)


def _new_part(doc: Document, name: str, content_type: str, blob: bytes) -> Part:
    return Part(PackURI(name), content_type, blob, doc.part.package)


def _rsid(paragraph: Paragraph) -> None:
    paragraph._p.set(f"{{{NS['w']}}}rsidR", RSIDS[0])
    paragraph._p.set(f"{{{NS['w']}}}rsidRDefault", RSIDS[1])
    paragraph._p.set(f"{{{NS['w']}}}rsidRPr", RSIDS[2])
    for run in paragraph.runs:
        run._r.set(f"{{{NS['w']}}}rsidRPr", RSIDS[2])


def _patch_zip(path: Path, edits: dict[str, Callable[[bytes], bytes]]) -> None:
    """Rewrite the zip at `path`, passing the named members through their edit function."""
    with zipfile.ZipFile(path) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            dst.writestr(info.filename, edits.get(info.filename, lambda b: b)(data))


def _override_to_default(ext: str, content_type: str) -> Callable[[bytes], bytes]:
    """Edit for [Content_Types].xml: register `ext` as a Default instead of per-part Overrides."""

    def edit(data: bytes) -> bytes:
        root = etree.fromstring(data)
        ns = root.nsmap[None]
        for override in root.findall(f"{{{ns}}}Override"):
            if override.get("PartName").endswith(f".{ext}"):
                root.remove(override)
        root.insert(0, etree.Element(f"{{{ns}}}Default", Extension=ext, ContentType=content_type))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return edit


def all_xml_text(path: Path) -> str:
    """Every member name and every part of the zip, decoded as UTF-8 (errors replaced)."""
    with zipfile.ZipFile(path) as zf:
        return "\n".join([*zf.namelist(), *(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())])


def image_bytes(path: Path) -> list[bytes]:
    """The raw bytes of every word/media/ member."""
    with zipfile.ZipFile(path) as zf:
        return [zf.read(n) for n in zf.namelist() if n.startswith("word/media/")]


# -- images --------------------------------------------------------------------------------------


def _png(color: tuple[int, int, int], text: dict[str, str] | None = None) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)  # a tEXt chunk
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def _jpeg(color: tuple[int, int, int], artist: str | None = None, xmp_creator: str | None = None) -> bytes:
    exif = Image.Exif()
    if artist:
        exif[0x013B] = artist  # Artist
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(buf, "JPEG", exif=exif.tobytes() if artist else b"")
    data = buf.getvalue()
    if xmp_creator:
        packet = (
            '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator><rdf:Seq><rdf:li>{xmp_creator}</rdf:li></rdf:Seq></dc:creator>"
            '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
        ).encode()
        payload = b"http://ns.adobe.com/xap/1.0/\x00" + packet
        segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
        first_end = 4 + struct.unpack(">H", data[4:6])[0]  # SOI, then the JFIF/Exif segment
        data = data[:first_end] + segment + data[first_end:]
    return data


# -- the trap document ---------------------------------------------------------------------------


def _body_and_tables(doc: Document) -> None:
    doc.add_paragraph("Compte rendu d'hospitalisation")
    _rsid(doc.add_paragraph(f"Patiente : Mme Josiane VERDELET, NIR {BODY_NIR}."))
    _rsid(doc.add_paragraph(f"Joignable au {BODY_PHONE} ou par courriel : {BODY_EMAIL}."))
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Médecin traitant : Dr Anatole PRUNIER"
    outer = table.cell(0, 1)
    outer.text = "Entourage"
    outer.add_table(rows=1, cols=1).cell(0, 0).text = "Personne de confiance : M. Lucien FAUCHEUX"
    split = doc.add_paragraph(SPLIT_PREFIX)
    split.add_run("Mme ")
    split.add_run("Clémence ")
    split.add_run("ABRIAL").bold = True
    _rsid(split)


def _headers_and_footers(doc: Document) -> None:
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    doc.settings.odd_and_even_pages_header_footer = True
    texts = [
        (section.header, "Service de cardiologie, Dr Bertrand QUINTARD"),
        (section.footer, "Secrétariat : M. Gaspard LOUVEL"),
        (section.first_page_header, "Chef de service : Mme Odile CHAMPEAUX"),
        (section.first_page_footer, "Validé par le Pr Hector MALVOISIN"),
        (section.even_page_header, "Interne : Mme Irène DESFORGES"),
        (section.even_page_footer, "Cadre de santé : M. Félix BROCHARD"),
    ]
    for part, text in texts:
        part.is_linked_to_previous = False
        part.paragraphs[0].text = text


def _notes(doc: Document) -> None:
    notes = (("footnote", "Avis du Dr Armand TESSEYRE."), ("endnote", "Courrier de Mme Solange VIGOUROUX."))
    for kind, text in notes:
        separators = "".join(
            f'<w:{kind} w:type="{sep}" w:id="{i}"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
            f'w:lineRule="auto"/></w:pPr><w:r><w:{sep}/></w:r></w:p></w:{kind}>'
            for i, sep in ((-1, "separator"), (0, "continuationSeparator"))
        )
        note = (
            f'<w:{kind} w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f"<w:{kind}Ref/></w:r>{_run(' ' + text)}</w:p></w:{kind}>"
        )
        xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind}s {_decls("w", "r")}>'
        xml += f"{separators}{note}</w:{kind}s>"
        content_type = CT.WML_FOOTNOTES if kind == "footnote" else CT.WML_ENDNOTES
        part = _new_part(doc, f"/word/{kind}s.xml", content_type, xml.encode())
        doc.part.relate_to(part, RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES)
        paragraph = doc.add_paragraph("Voir la note de bas de page" if kind == "footnote" else "Voir la note")
        paragraph._p.append(
            _el(f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Reference w:id="1"/></w:r>')
        )


def _comment(doc: Document) -> None:
    run = doc.add_paragraph("Conclusion : ").add_run("avis à confirmer.")
    comment = "Vérifier avec Mme Rosalie BAUDRIMONT."
    doc.add_comment(run, text=comment, author="Octave LAMBERTIN", initials="OL")
    people = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w15:people {_decls("w15")}>'
        '<w15:person w15:author="Octave LAMBERTIN">'
        '<w15:presenceInfo w15:providerId="None" w15:userId="Octave LAMBERTIN"/></w15:person></w15:people>'
    )
    doc.part.relate_to(_new_part(doc, "/word/people.xml", CT_PEOPLE, people.encode()), RT_PEOPLE)


def text_box(doc: Document, text: str) -> None:
    """A text box as Word writes it: the DrawingML shape and its VML fallback copy."""
    content = f"<w:txbxContent><w:p>{_run(text)}</w:p></w:txbxContent>"
    anchor = (
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="2" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="2743200" cy="457200"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:wrapSquare wrapText="bothSides"/><wp:docPr id="900" name="Zone de texte 1"/>'
        "<wp:cNvGraphicFramePr/>"
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr>'
        '<a:xfrm><a:off x="0" y="0"/><a:ext cx="2743200" cy="457200"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f'<wps:txbx>{content}</wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" anchor="t">'
        "<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
    )
    vml = (
        '<v:shape id="Zone de texte 1" o:spid="_x0000_s1026" type="#_x0000_t202" filled="f" stroked="t" '
        'style="position:absolute;margin-left:0;margin-top:0;width:3in;height:36pt;z-index:2">'
        f'<v:textbox>{content}</v:textbox><w10:wrap type="square"/></v:shape>'
    )
    doc.add_paragraph("Encadré :")._p.append(_el(
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        f"<w:drawing>{anchor}</w:drawing></mc:Choice>"
        f"<mc:Fallback><w:pict>{vml}</w:pict></mc:Fallback></mc:AlternateContent></w:r>",
        "mc", "wps", "wp", "a", "v", "o", "w10",
    ))


def _content_control(doc: Document) -> None:
    doc.add_paragraph("Nom de naissance : ")._p.append(_el(
        '<w:sdt><w:sdtPr><w:alias w:val="Nom du patient"/><w:tag w:val="nom_patient"/><w:id w:val="481516"/>'
        '<w:dataBinding w:prefixMappings="xmlns:ns0=\'urn:deident-test\'" '
        'w:xpath="/ns0:patient[1]/ns0:nom[1]" '
        f'w:storeItemID="{STORE_ITEM_ID}"/><w:text/></w:sdtPr>'
        f"<w:sdtContent>{_run('Mme Ghislaine PERRUCHOT')}</w:sdtContent></w:sdt>"
    ))
    # Reuse the template's customXml/item1.xml (+ itemProps1.xml), already related from document.xml.
    item = _related(doc.part, RT.CUSTOM_XML)
    assert item.partname == "/customXml/item1.xml", item.partname
    _set_blob(item, (
        b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        b'<patient xmlns="urn:deident-test"><nom>Mme Ghislaine PERRUCHOT</nom></patient>'
    ))
    _set_blob(_related(item, RT.CUSTOM_XML_PROPS), (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml" '
        f'ds:itemID="{STORE_ITEM_ID}"><ds:schemaRefs><ds:schemaRef ds:uri="urn:deident-test"/>'
        "</ds:schemaRefs></ds:datastoreItem>"
    ).encode())


def _fields_and_link(doc: Document) -> None:
    paragraph = doc.add_paragraph("Contact : ")
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:{FIELD_EMAIL}" </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        _run("écrire au patient"),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(_el(xml))
    merge_result = _run("Mme Hortense GRANDCLAUDE")
    doc.add_paragraph("Destinataire : ")._p.append(
        _el(f'<w:fldSimple w:instr=" MERGEFIELD GRANDCLAUDE ">{merge_result}</w:fldSimple>')
    )
    underline = '<w:u w:val="single"/>'
    rid = doc.part.relate_to(f"mailto:{LINK_EMAIL}", RT.HYPERLINK, is_external=True)
    doc.add_paragraph("Adresse : ")._p.append(_el(
        f'<w:hyperlink r:id="{rid}" w:tooltip="Écrire au Dr Ambroise FERRANDOU" w:history="1">'
        f"{_run('lien de contact', underline)}</w:hyperlink>"
    ))


def _pictures(doc: Document) -> None:
    doc.add_paragraph("Photographie :")
    shape = doc.add_picture(io.BytesIO(_png((200, 40, 40))), width=Cm(1))
    shape._inline.docPr.set("descr", "Photo de Mme Mireille CASTAGNOU")
    shape._inline.docPr.set("title", "Dr Léopold VAUTRIN")
    doc.add_paragraph("Imagerie :")
    jpeg = _jpeg((40, 40, 200), artist="Dr Clotilde FONTANEILLES", xmp_creator="Mme Victorine LAGARRIGUE")
    doc.add_picture(io.BytesIO(jpeg), width=Cm(1))
    doc.add_picture(io.BytesIO(_png((40, 200, 40), {"Author": "M. Théophile CAZALBOU"})), width=Cm(1))


def _revisions(doc: Document) -> None:
    author = 'w:author="Dr Raoul HAUTEVILLE" w:date="' + DATE + '"'
    paragraph = doc.add_paragraph("Suivi : ")
    paragraph._p.append(_el(f'<w:ins w:id="201" {author}>{_run("texte inséré ")}</w:ins>'))
    deleted = '<w:r><w:delText xml:space="preserve">Mme Berthe COUDERC</w:delText></w:r>'
    paragraph._p.append(_el(f'<w:del w:id="202" {author}>{deleted}</w:del>'))
    moved = _run("Revu avec M. Norbert SALIGNAC.")
    doc.add_paragraph()._p.extend([
        _el(f'<w:moveFromRangeStart w:id="203" {author} w:name="move1"/>'),
        _el(f'<w:moveFrom w:id="204" {author}>{moved}</w:moveFrom>'),
        _el('<w:moveFromRangeEnd w:id="203"/>'),
    ])
    doc.add_paragraph("Fin du suivi.")._p.extend([
        _el(f'<w:moveToRangeStart w:id="205" {author} w:name="move1"/>'),
        _el(f'<w:moveTo w:id="206" {author}>{moved}</w:moveTo>'),
        _el('<w:moveToRangeEnd w:id="205"/>'),
    ])
    doc.add_paragraph()._p.append(_el(
        '<w:r><w:rPr><w:b/><w:rPrChange w:id="207" w:author="Dr Eugénie PLANCHARD" w:date="' + DATE + '">'
        '<w:rPr/></w:rPrChange></w:rPr><w:t>Traitement de sortie</w:t></w:r>'
    ))


def _doc_props(doc: Document) -> None:
    core = doc.core_properties
    core.author = "Dr Séverin GOURDEL"
    core.last_modified_by = "Mme Agathe PONTCHARRA"
    core.title = "Compte rendu de Mme Ernestine LAVAURS"
    core.subject = "Hospitalisation de M. Fernand DUCLOUX"
    core.keywords = "cardiologie; Mme Yvette ROCHEMAURE"
    core.comments = "Dossier transmis par M. Prosper BOISSEROLLE"
    core.category = "Patiente Mme Colette FAVERJON"
    package = doc.part.package
    app = _related(package, RT.EXTENDED_PROPERTIES)
    root = etree.fromstring(app.blob)
    for tag, text in (
        ("Company", "Cabinet du Dr Édouard RAMPILLON"),
        ("Manager", "Dr Lucienne MOUTARDIER"),
        ("Template", "CR Dr Maxime PECHEYRAND.dotm"),
    ):
        root.find(f"ep:{tag}", NS).text = text
    _set_blob(app, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Patient">'
        "<vt:lpwstr>Mme Huguette LABROUSSE</vt:lpwstr></property></Properties>"
    )
    package.relate_to(_new_part(doc, "/docProps/custom.xml", CT.OFC_CUSTOM_PROPERTIES, custom.encode()),
                      RT.CUSTOM_PROPERTIES)
    _set_blob(_related(package, RT.THUMBNAIL), _jpeg((250, 250, 250)))  # the template has one


def _settings(doc: Document) -> None:
    settings, settings_part = doc.settings, _related(doc.part, RT.SETTINGS)
    template_rid = settings_part.relate_to(
        "file:///C:/Users/Aurelien.DEMONTROND/Modeles/cr.dotm", RT_ATTACHED_TEMPLATE, is_external=True
    )
    source_rid = settings_part.relate_to(
        "file:///C:/Users/Sidonie.BARTHOUIL/patients.xlsx", RT_MAIL_MERGE_SOURCE, is_external=True
    )
    proof_state = settings.element.find("w:proofState", NS)
    proof_state.addnext(_el(
        '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/><w:dataType w:val="native"/>'
        '<w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;User ID=Admin;'
        'Data Source=C:\\Users\\Sidonie.BARTHOUIL\\patients.xlsx;Mode=Read"/>'
        '<w:query w:val="SELECT * FROM `Feuil1$`"/>'
        f'<w:dataSource r:id="{source_rid}"/><w:viewMergedData/></w:mailMerge>'
    ))
    proof_state.addnext(_el(f'<w:attachedTemplate r:id="{template_rid}"/>'))
    settings.element.find("w:rsids", NS).addprevious(
        _el('<w:docVars><w:docVar w:name="patient" w:val="Mme Rolande CHASSAGNE"/></w:docVars>')
    )


def build_trap_docx(path: Path) -> list[str]:
    """Write the trap document at `path`; return every planted value (see `PLANTED` for the trap of each)."""
    doc = docx.Document()
    _body_and_tables(doc)
    _headers_and_footers(doc)
    _notes(doc)
    _comment(doc)
    text_box(doc, "Contact : M. Firmin DELACOURT")
    _content_control(doc)
    _fields_and_link(doc)
    _pictures(doc)
    doc.add_page_break()  # a second page, so even-page header and footer are used
    _revisions(doc)
    _doc_props(doc)
    _settings(doc)
    doc.save(str(path))
    return [value for values in PLANTED.values() for value in values]


# -- refusal fixtures ----------------------------------------------------------------------------


def _small_docx() -> Document:
    doc = docx.Document()
    doc.add_paragraph(f"Patient : M. Aristide {REFUSAL_NAME}, vu en consultation.")
    return doc


def build_encrypted_docx(path: Path) -> None:
    """An OLE2 compound file named .docx, as Word writes a password-protected document.

    Real ones hold EncryptionInfo and EncryptedPackage streams (plus \\x06DataSpaces); this one has
    a compound-file header, a FAT sector and a directory naming those streams, all empty.
    """
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = OLE2_MAGIC + bytes(16) + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6,
                                                  0, 1, 1, 0, 0x1000, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108  # DIFAT: the FAT is sector 0
    fat = struct.pack("<II", fat_sector, end) + struct.pack("<I", free) * 126

    def entry(name: str, kind: int, right: int = free, child: int = free) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, free, right, child)
                + bytes(16 + 4 + 16) + struct.pack("<IQ", end if name else 0, 0))

    directory = (entry("Root Entry", 5, child=1) + entry("EncryptionInfo", 2, right=2)
                 + entry("EncryptedPackage", 2) + entry("", 0))
    path.write_bytes(header + fat + directory)


def build_macro_docx(path: Path) -> None:
    """A docx carrying a VBA project, with the macro-enabled main content type."""
    doc = _small_docx()
    vba = _new_part(doc, "/word/vbaProject.bin", CT_VBA, OLE2_MAGIC + bytes(504))
    doc.part.relate_to(vba, RT_VBA)
    doc.part._content_type = CT_MACRO_MAIN
    doc.save(str(path))


def build_ole_docx(path: Path) -> None:
    """A docx with an embedded OLE object (w:object / o:OLEObject) in a body run."""
    doc = _small_docx()
    ole = _new_part(doc, "/word/embeddings/oleObject1.bin", CT.OFC_OLE_OBJECT, OLE2_MAGIC + bytes(504))
    rid = doc.part.relate_to(ole, RT.OLE_OBJECT)
    doc.add_paragraph("Pièce jointe : ")._p.append(_el(
        '<w:r><w:object w:dxaOrig="1440" w:dyaOrig="720">'
        '<v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:72pt;height:36pt" o:ole=""/>'
        '<o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" DrawAspect="Icon" '
        f'ObjectID="_1700000001" r:id="{rid}"/></w:object></w:r>',
        "v", "o",
    ))
    doc.save(str(path))
    _patch_zip(path, {"[Content_Types].xml": _override_to_default("bin", CT.OFC_OLE_OBJECT)})


def build_altchunk_docx(path: Path) -> None:
    """A docx importing an HTML chunk (w:altChunk) that names a person."""
    doc = _small_docx()
    html = f"<html><body><p>Adressée par Mme Eulalie {ALTCHUNK_NAME}.</p></body></html>"
    chunk = _new_part(doc, "/word/afchunk.html", "text/html", html.encode())
    rid = doc.part.relate_to(chunk, RT.A_F_CHUNK)
    doc.element.body.sectPr.addprevious(_el(f'<w:altChunk r:id="{rid}"/>'))
    doc.save(str(path))
    _patch_zip(path, {"[Content_Types].xml": _override_to_default("html", "text/html")})


def build_truncated_docx(path: Path) -> None:
    """A valid docx cut to half its bytes (no central directory)."""
    buf = io.BytesIO()
    _small_docx().save(buf)
    data = buf.getvalue()
    path.write_bytes(data[: len(data) // 2])


def build_zip_bomb_docx(path: Path) -> None:
    """A valid docx plus word/media/huge.bin (registered, related): 300 MB of zeros, ~300 KB deflated."""
    _small_docx().save(str(path))

    def relate(data: bytes) -> bytes:
        root = etree.fromstring(data)
        etree.SubElement(root, f"{{{root.nsmap[None]}}}Relationship", Id="rIdHuge", Type=RT.IMAGE,
                         Target="media/huge.bin")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    _patch_zip(path, {
        "[Content_Types].xml": _override_to_default("bin", "application/octet-stream"),
        "word/_rels/document.xml.rels": relate,
    })
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("word/media/huge.bin", "w",
                                                                           force_zip64=True) as member:
        for _ in range(300):
            member.write(chunk)


def build_entity_expansion_docx(path: Path) -> None:
    """A docx whose document.xml declares "billion laughs" entities (lol9 = 10**9 × "lol") and uses one."""
    doc = _small_docx()
    doc.add_paragraph("ENTITY_HERE")
    doc.save(str(path))
    entities = '<!ENTITY lol0 "lol">'
    for i in range(1, 10):
        entities += f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">'

    def edit(data: bytes) -> bytes:
        text = data.decode()
        declaration, rest = text.split("\n", 1)
        rest = rest.replace("ENTITY_HERE", "&lol9;")
        return f"{declaration}\n<!DOCTYPE w:document [{entities}]>\n{rest}".encode()

    _patch_zip(path, {"word/document.xml": edit})
