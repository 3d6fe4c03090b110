"""The data contract (data/README.md), generated from the table schemas so the two cannot drift apart."""

from __future__ import annotations

from pathlib import Path

from rapportbok.checks.check import CHECK_SECONDS
from rapportbok.core.book import data_root_of
from rapportbok.core.contrast import TEXT_CONTRAST
from rapportbok.core.formatting import format_number
from rapportbok.data.csvfile import MAX_BYTES as MAX_CSV_BYTES
from rapportbok.data.csvfile import MAX_ROWS
from rapportbok.data.files import MAX_FOLDER_DEPTH, MAX_TEXT_BYTES, MAX_YAML_BYTES, MAX_YEAR_ENTRIES
from rapportbok.data.images import MAX_IMAGE_BYTES, MAX_SIDE
from rapportbok.data.metadata import SCHEMA_FILE, TYPES, metadata_schema
from rapportbok.data.org_tables import MAX_FIELDS, MAX_ORG_TABLES, ORG_TABLES_FOLDER, org_tables
from rapportbok.data.organisations import MAX_ORGANISATION_ID, organisations
from rapportbok.data.required_texts import REQUIRED_TEXTS
from rapportbok.data.schema import TABLE_NAMES, FieldSpec, TableSchema, table_schema
from rapportbok.data.vocabulary_file import (
    BACKGROUNDS,
    MAX_LEVELS,
    MAX_SYMBOL,
    MIN_LEVELS,
    VOCABULARY_FILE,
    shown_ratio,
)
from rapportbok.narrative.markdown import MAX_IMAGES
from rapportbok.narrative.markdown_bounds import MAX_BRACKET_LINES, MAX_EMPHASIS_MARKS
from rapportbok.narrative.sandbox import MAX_DEPTH, MAX_OUTPUT, MAX_PLACEHOLDERS

TYPE_NAMES = {
    "string": "text",
    "integer": "heltal",
    "number": "tal (punkt som decimaltecken)",
    "date": "datum ÅÅÅÅ-MM-DD",
}

INTRODUCTION = """\
# Datakontrakt: data/&lt;organisation&gt;/&lt;år&gt;/

*Genererad från tabellschemana i `src/rapportbok/data/schemas/` med `rapportbok contract`. Redigera
schemana, inte den här filen; ett test kontrollerar att filen är aktuell.*

Varje organisation har en egen mapp i `data/`, namngiven med organisationens id (små bokstäver a–z,
siffror och bindestreck, högst {org_chars} tecken, t.ex. `kommunstyrelsekontoret`), och i den har
varje räkenskapsår en egen mapp, `data/<organisation>/<år>/`, som innehåller allt som boken visar för
året. Alla organisationer
har samma kapitel och samma kontrakt. `rapportbok check --org <organisation> --year <år>` kontrollerar
mappen mot kontraktet och listar alla fel på en gång, som
`data/<organisation>/<år>/uppdrag.csv, rad 14, kolumn "status": "Slutford" är inte ett tillåtet värde
(tillåtna: …)`. Radnumren är desamma som i Excel: rubrikraden är rad 1. En mapp i `data/` utan
årsmappar (t.ex. `data/gemensamt/` med en logotyp som flera organisationer använder) är ingen
organisation.

## Filformat

- CSV med rubrikrad. Antingen **CSV UTF-8 (kommaavgränsad)** med punkt som decimaltecken och tal utan
  tusentalsavgränsare (`-305285`, `7.3`), eller **CSV (semikolonavgränsad)** som svensk Excel sparar,
  med decimalkomma (`7,3`) och gärna mellanslag mellan tusental (`-305 285`). En semikolonavgränsad fil
  får inte ha punkt i tal: det vore tvetydigt och avvisas.
- Teckenkodning UTF-8 (med eller utan BOM). En fil i Windows-1252 läses, men `check` varnar; en fil i
  någon annan kodning avvisas i stället för att läsas fel.
- Tomma celler betyder "inget värde". Text med komma, semikolon eller radbrytning står inom citattecken
  (det gör Excel själv).
- Belopp i tusental kronor (tkr); kostnader är negativa. Procent anges i procent (`7.3` = 7,3 %).
- Publicerade år är skrivskyddade enligt överenskommelse: ändra inte `data/<organisation>/<år>/` efter
  att årets bok har publicerats. Publicerade värden behålls som de trycktes, även när de inte går ihop; `check`
  varnar för sådana skillnader men ändrar aldrig värdena.

{limits}
{metadata}
## Text: text/&lt;kapitel&gt;/&lt;avsnitt&gt;.md

Varje avsnitts text är Markdown (UTF-8, högst {text_kb} kB, en vanlig fil: inte en symbolisk länk).
Rå HTML visas som text, aldrig som kod. Siffror som finns i data skrivs inte för hand utan som
platshållare: `{{{{ mal.uppfyllt }}}}`, `{{{{ drift.summa.avvikelse | mnkr }}}}`. Ett namn som data inte har,
eller ett värde som saknas, är ett fel med fil och rad.

En platshållare är ett namn med nycklar (`drift.summa.avvikelse`, `investering["24007"]`), eventuellt
`+` eller `-` mellan tal (`{{{{ ar + 1 }}}}`), följt av formaten nedan, vars argument är text eller tal.
Inget annat är tillåtet och `check` avvisar det med fil och rad: inga styrsatser (`{{% … %}}`), inga
funktionsanrop, villkor, andra räknesätt eller namn som börjar med `_`. Värden från data blir alltid
vanlig text i texten, aldrig länkar, rubriker eller kod.

Länkar i texten får peka på `https://`- och `mailto:`-adresser, ankare (`#…`) och kapitel i årets bok
(`ekonomi.html`, `ekonomi.html#investeringar`). Ett ankare som inget på sidan bär leder till sidan
själv, på webben och i PDF:en. En bild i texten är en bildfil i årets mapp, skriven relativt den:
`![Diagram över kostnaderna](bilder/kostnader.png)` visar `data/<organisation>/<år>/bilder/kostnader.png`.
Filen ska vara PNG, JPEG eller SVG (högst {image_mb} MB, {image_side} bildpunkter per sida, en SVG
utan skript, DOCTYPE, `@import` eller hänvisningar till andra filer), och högst {max_images} bilder i en
text; `check` avkodar den som bygget gör. Bilden bäddas in i sidan och i PDF:en, så inget hämtas, och
dess kontrollsumma står med årets filer. Bilder från andra webbplatser (`https://…`) avvisas: boken
visar bara det som finns i `data/`, och webben och PDF:en visar samma sak. Annat (`http:`, `file:`,
`data:`, `/absoluta/sökvägar`, `../`, filer som inte är bilder eller sidor) avvisas av `check` med fil
och rad och visas som text på sidan.

| Platshållare | Värde |
|---|---|
| `ar`, `organisation`, `kommun` | ur rapport.yml |
| `malomrade[<nr>].namn` | målområdets namn (malomraden.csv) |
| `malomrade[<nr>].<namn>` | `antal`, `uppfyllt`, `ej_uppfyllt` (inriktningsmål i området) och `bedomning`: vad bedömningarna säger om området, t.ex. "samtliga inriktningsmål bedöms som uppfyllda", "inga av inriktningsmålen når måluppfyllelse" eller "tre av fyra inriktningsmål bedöms som uppfyllda" |
| `mal.antal`, `mal.uppfyllt`, `mal.ej_uppfyllt` | antal inriktningsmål totalt och per bedömning |
| `mal["<mal_id>"].<namn>` | `titel`, `bedomning`, `trend`, `indikatorer`, `indikatorer_uppfyllda`, `indikatorer_ej_uppfyllda`, `indikatorer_utan_varde`, `indikatorer_matta` (med utfall i år), `uppdrag`, `uppdrag_slutforda`, `namndinitiativ`, `namndinitiativ_slutforda` |
| `uppdrag.<namn>`, `namndinitiativ.<namn>` | `antal`, `slutford`, `stangs` (stängs och övergår i nytt uppdrag), `kvarstaende`, `struken`, `gar_over` (går över till nästa år) |
| `sjukfranvaro.namnden`, `sjukfranvaro.kommunen` | årets sjukfrånvaro i procent |
| `personalomsattning.extern`, `personalomsattning.intern` | årets personalomsättning i procent |
| `drift.<post_id>.<kolumn>` | driftredovisningen, t.ex. `drift.summa.avvikelse` |
| `verksamhet.<verksamhet_id>.<kolumn>` | driftredovisning per verksamhet |
| `investering["<projekt_nr>"].<kolumn>` | investeringsprojekt; `under_budget` = prognos − budget |

| Format | Exempel |
|---|---|
| `mnkr` | 22355 → 22,4 mnkr |
| `tkr`, `tkr(signed=True)` | 1100 → 1 100 tkr, +1 100 tkr |
| `tal`, `tal(1)` | 1234.5 → 1 235, 1 234,5 |
| `procent`, `procent(2)` | 7.19 → 7,2 %, 7,19 % |
| `ord`, `ord("en")` | 13 → tretton; 1 → ett, en |
| `abs`, `capitalize` | belopp utan tecken; stor begynnelsebokstav |
| `tryckt("22,3 mnkr")` | visar den publicerade texten; om data ger något annat är det ett fel, utom i ett år vars rapport.yml har `tryckta_varden` (då en varning) |

### Vad texten påstår kontrolleras

- **Bedömningar.** Säger ett måls analys (och texten för ett mål som inte är uppfyllt, när den
  visas) att målet "bedöms uppfyllt", "bedöms delvis uppfyllt", "är ej uppfyllt",
  "når inte måluppfyllelse" eller liknande, och står något annat i `inriktningsmal.csv`, är det en
  uppgift att åtgärda: boken publiceras inte förrän texten eller bedömningen är rättad (ett utkast går
  att bygga).
- **Siffror skrivna för hand.** Belopp, antal och procent med siffror ("11,3 mnkr") och räkneord från
  två och uppåt ("tio uppdrag") som ingen platshållare har skrivit ger en varning med fil och rad:
  använd en platshållare (`| ord` för räkneord). Undantagna är årtal (även intervall av årtal), datum ("6 maj",
  ÅÅÅÅ-MM-DD), id och avsnittsnummer (7.3, 1.1-01, SFS-nummer ÅÅÅÅ:nr, "målområde 7", "projekt 24007"),
  tal som hör till ett namn (SHA-256) och adresser i länkar.
- **Undantag med skäl: `skrivna_siffror.yml`.** En siffra som inte finns i data (t.ex. ett belopp ur en
  annan redovisning) förs upp i årets `data/<organisation>/<år>/skrivna_siffror.yml`, per text och med
  ett skäl:

  ```yaml
  sammanfattning/ekonomi:
    "11,3 mnkr": Kapitalkostnaderna för IT finns inte i tabellerna.
  mal-indikatorer-uppdrag/uppdrag-och-initiativ:
    tio: Uppdragens ursprung (Mål och budget eller tidigare år) finns inte i uppdrag.csv.
  ```

  Siffran skrivs som `check` citerar den. En rad vars siffra inte längre står i texten ger en varning.
  Filen hör till sitt år: `new-year` för inte över den, så varje handskriven siffra i en kopierad text
  varnas för igen tills texten är omskriven.
- **Kända avvikelser: `kanda_avvikelser.yml`.** Varningar för publicerade värden som behålls som de
  trycktes förs upp i årets `data/<organisation>/<år>/kanda_avvikelser.yml`, per fil (`drift.csv`) med
  varningen som `check` skriver den efter filnamnet och ett skäl. De sammanfattas då på en rad;
  `rapportbok check --alla` listar dem. Filen förs inte över av `new-year`.

"""
TABLES_HEADING = "## Tabeller\n"
ORG_TABLES = """\
## Egna tabeller

En organisation kan lägga till tabeller som rapportbokens egna inte har (t.ex. volymer: antal brukare,
beviljade timmar). Schemat står i `data/<organisation>/{folder}/<namn>.yaml`, i samma format som
rapportbokens egna tabellscheman (Frictionless Table Schema i YAML), och årets data i
`data/<organisation>/<år>/<namn>.csv`. `rapportbok ny-tabell data/<organisation>/<år>/<namn>.csv`
skriver ett första schema från en CSV-fil (typer och enheter gissade) som du sedan granskar.

- Namnet: små bokstäver a–z, siffror och `_`, högst 40 tecken, börjar med en bokstav, och inte samma som
  någon av tabellerna ovan. Samma regel gäller kolumnernas namn.
- Schemat är data, inte kod, och kontrolleras strikt: bara nycklarna `title`, `description`, `fields`,
  `primaryKey` och `optional`; för en kolumn `name`, `title`, `type`, `unit`, `description` och
  `constraints`; typerna `string`, `integer`, `number`, `boolean` och `date`; reglerna `required`,
  `unique`, `enum`, `minimum`, `maximum`, `minLength` och `maxLength`. Hänvisningar till andra tabeller
  (`foreignKeys`) och mönster (`pattern`) tas inte emot. Högst {max_tables} tabeller per organisation och
  {max_fields} kolumner per tabell; schemat högst {yaml_kb} kB.
- Varje år ska ha filen, om inte schemat säger `optional: true`. `check` kontrollerar den med fil, rad
  och kolumn precis som tabellerna ovan.
- Platshållare: `{{{{ tabell.<namn>.<radnyckel>.<kolumn> }}}}`. Raden hittas med schemats unika nyckel
  (`primaryKey`), en nivå per nyckelkolumn i schemats ordning; en nyckel som är ett heltal skrivs som talet
  (`{{{{ tabell.platser.12.antal }}}}`). En nyckel som inte är ett namn (t.ex. med mellanslag) skrivs inom
  hakparentes: `{{{{ tabell.volymer["särskilt boende"].antal }}}}`. En tabell utan unik nyckel nås inte från
  texterna.
"""

VOCABULARY_SECTION = """\
## Vokabulär: bedömningsskala, trender och målnivåernas namn

En organisation som bedömer sina mål med andra ord än Uppfyllt / Delvis uppfyllt / Ej uppfyllt, eller
kallar nivåerna annat än inriktningsmål och indikator, skriver det i `data/<organisation>/{file}`
(frivillig; utan filen gäller orden i tabellerna ovan). Filen har tre frivilliga delar:

- `bedomning.skala`: {min_levels}–{max_levels} nivåer, bäst först, var och en med `varde` (det som står i
  kolumnen `bedomning`), `symbol` (högst {max_symbol} tecken), `farg` med `ljus` och `mork` (`"#RRGGBB"`),
  frivilligt `etikett` (det boken visar; annars värdet) och `raknas_som: uppfyllt` eller `ej_uppfyllt`. Den
  första nivån ska räknas som uppfylld och den sista som ej uppfylld. `bedomning.utan_varde`: värdet
  för en indikator som inte kan mätas (`varde`, `symbol`, frivilligt `etikett` och `farg`).
- `trend`: `positiv`, `oforandrad`, `negativ` och `ej_bedomd`, var och en med `varde` och `symbol`.
- `nivaer`: `malomrade`, `mal` och `indikator`, var och en med `ental` (som rubrik) och `flertal` (i löptext).

Värden och symboler ska vara unika. Färgerna används för text och ska ha minst kontrasten
{contrast}:1 mot sidans bakgrund, `ljus` mot {light} och `mork` mot {dark}. Med filen kontrolleras
kolumnerna `bedomning` och `trend` i `inriktningsmal.csv` och `indikatorer.csv` mot organisationens
ord i stället för de tillåtna värdena ovan (`indikatorer.csv` tillåter också `utan_varde`).
"""


def _field_row(spec: FieldSpec) -> str:
    kind = TYPE_NAMES.get(spec.type, spec.type)
    if spec.unit:
        kind += f", {spec.unit}"
    rules = ["obligatorisk" if spec.required else "får vara tom"]
    if spec.enum:
        rules.append("tillåtna värden: " + ", ".join(f"`{value}`" for value in spec.enum))
    if spec.range_text:
        rules.append(spec.range_text)
    description = " ".join(spec.description.split())
    return f"| `{spec.name}` | {spec.title} | {kind} | {'; '.join(rules)} | {description} |"


def _metadata_section() -> str:
    """The rapport.yml section, from its schema (data/schemas/rapport.yaml)."""
    schema = metadata_schema()
    rows = []
    for spec in schema.fields:
        _, kind, rule = TYPES[spec.type]
        rules = ["obligatorisk" if spec.required else "frivillig"]
        if spec.default not in (None, []):
            rules.append(f'standard "{spec.default}"')
        if "maxLength" in spec.rules:
            rules.append(f"högst {spec.rules['maxLength']} tecken")
        if "extraCharacters" in spec.rules:
            rules.append("även " + " ".join(f"`{char}`" for char in spec.rules["extraCharacters"]))
        if "formats" in spec.rules:
            rules.append(", ".join(f"`.{kind_}`" for kind_ in spec.rules["formats"]))
        if "maxBytes" in spec.rules:
            rules.append(f"högst {spec.rules['maxBytes'] // 1024} kB")
        rules.append(rule)
        rows.append(f"| `{spec.name}` | {kind} | {'; '.join(rules)} | {spec.description} |")
    return (
        "## rapport.yml\n\n"
        f"{schema.description}\n\n"
        f"*Schemat står i `src/rapportbok/data/schemas/{SCHEMA_FILE}`.* Filen är YAML (UTF-8, högst "
        f"{MAX_YAML_BYTES // 1024} kB) med en rad `nyckel: värde` per uppgift; okända nycklar, en nyckel två "
        "gånger och alias (`*namn`) avvisas, liksom nästlade värden utom i `tryckta_varden` och "
        "listan `utelamnade_kapitel`. Tomt värde (eller `null`) i en frivillig "
        "nyckel betyder standardvärdet.\n\n"
        "| Nyckel | Typ | Regler | Beskrivning |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"
    )


def required_texts_sentence() -> str:
    """The texts every year must have (data/required_texts.py), as one sentence."""
    items = ['varje text som ett kapitel visar (`show_text(report, "…")` i `notebooks/`)']
    items += [f"`{text.pattern}` {text.applies_to}" for text in REQUIRED_TEXTS]
    return "Avsnitt som måste finnas: " + ",\n".join(items[:-1]) + " och\n" + items[-1] + "."


def limits_section() -> str:
    """Every limit on what a year may hold, as the messages that enforce them name it."""
    items = [
        f"organisationens id: högst {MAX_ORGANISATION_ID} tecken",
        f"en årsmapp: högst {format_number(MAX_YEAR_ENTRIES)} filer och mappar i ett år och högst "
        f"{MAX_FOLDER_DEPTH} nivåer av mappar (texterna ligger två nivåer ner, i `text/<kapitel>/`); en "
        "årsmapp utöver det avvisas innan något i den läses",
        f"en tabell (CSV): högst {MAX_CSV_BYTES // 2**20} MB och {format_number(MAX_ROWS)} rader",
        f"`rapport.yml` och `tillganglighet.yml`: högst {MAX_YAML_BYTES // 1024} kB",
        f"en text: högst {MAX_TEXT_BYTES // 1024} kB och {format_number(MAX_PLACEHOLDERS)} platshållare; "
        f"ifylld högst {MAX_OUTPUT // 2**20} miljoner tecken",
        f"en platshållare: uttryck nästlade högst {MAX_DEPTH} nivåer",
        f"ett stycke i en text (text mellan tomma rader): högst {format_number(MAX_EMPHASIS_MARKS)} tecken "
        f"`*` och `_` och högst {MAX_BRACKET_LINES} rader som börjar med `[` (Markdown-tolkens arbete "
        "växer med kvadraten på dem)",
        f"`rapportbok check` och kontrollen i `build`: hela kontrollen högst `--timeout` sekunder "
        f"(standard {CHECK_SECONDS}); den som tar längre tid avbryts med ett fel som namnger gränsen och "
        "filen",
    ]
    return (
        "## Gränser\n\nAllt som läses har en övre gräns, så att ingen fil kan få `check` eller bygget att "
        "hänga eller ta slut på minne. Det som går över en gräns avvisas med fil (och rad) och gränsen i "
        "meddelandet:\n\n" + "".join(f"- {item}\n" for item in items)
    )


def render_contract(data_root: Path | None = None) -> str:
    """The whole data/README.md; with `data_root`, the tables its organisations declare are listed too."""
    introduction = INTRODUCTION.format(
        metadata=_metadata_section(),
        text_kb=MAX_TEXT_BYTES // 1024,
        image_mb=MAX_IMAGE_BYTES // 2**20,
        image_side=f"{MAX_SIDE:,}".replace(",", " "),
        max_images=MAX_IMAGES,
        limits=limits_section(),
        org_chars=MAX_ORGANISATION_ID,
    )
    parts = [introduction + required_texts_sentence() + "\n\n" + TABLES_HEADING]
    for name in TABLE_NAMES:
        schema = table_schema(name)
        parts += _table_section(schema, f"### {schema.file_name} – {schema.title}\n")
    parts.append(
        ORG_TABLES.format(
            folder=ORG_TABLES_FOLDER,
            max_tables=MAX_ORG_TABLES,
            max_fields=MAX_FIELDS,
            yaml_kb=MAX_YAML_BYTES // 1024,
        )
    )
    declared = _declared_tables(data_root)
    if not declared:
        parts.append("Ingen organisation i `data/` har egna tabeller ännu.\n")
    for organisation, schemas in declared:
        for schema in schemas:
            shown = f"data/{organisation}/{ORG_TABLES_FOLDER}/{schema.name}.yaml"
            parts += _table_section(schema, f"### {organisation}: {schema.file_name} – {schema.title}\n")
            parts.insert(len(parts) - 2, f"Schema: `{shown}`. {_grammar_example(schema)}\n")
    parts.append(_vocabulary_section())
    return "\n".join(parts)


def _vocabulary_section() -> str:
    return VOCABULARY_SECTION.format(
        file=VOCABULARY_FILE,
        min_levels=MIN_LEVELS,
        max_levels=MAX_LEVELS,
        max_symbol=MAX_SYMBOL,
        contrast=shown_ratio(TEXT_CONTRAST),
        light=BACKGROUNDS["ljus"],
        dark=BACKGROUNDS["mork"],
    )


def _table_section(schema: TableSchema, heading: str) -> list[str]:
    parts = [heading]
    if schema.optional:
        parts.append("*Frivillig fil.*\n")
    if schema.description:
        parts.append(" ".join(schema.description.split()) + "\n")
    keys = schema.descriptor.get("primaryKey")
    if keys:
        parts.append(f"Unik nyckel: {', '.join(f'`{key}`' for key in keys)}.\n")
    for key in schema.foreign_keys:
        parts.append(f"`{', '.join(key.fields)}` ska finnas i {table_schema(key.resource).file_name}.\n")
    parts.append("| Kolumn | Rubrik | Typ | Regler | Beskrivning |\n|---|---|---|---|---|")
    parts.append("\n".join(_field_row(spec) for spec in schema.fields) + "\n")
    return parts


def _declared_tables(data_root: Path | None) -> list[tuple[str, list[TableSchema]]]:
    """Each organisation's declared tables that can be used (`check` names the problems of the others)."""
    if data_root is None or not data_root.is_dir():
        return []
    found = []
    for organisation in organisations(data_root):
        schemas = list(org_tables(data_root / organisation).schemas.values())
        if schemas:
            found.append((organisation, schemas))
    return found


def _grammar_example(schema: TableSchema) -> str:
    keys = schema.descriptor.get("primaryKey", [])
    if not keys:
        return "Tabellen har ingen unik nyckel, så platshållare når inte dess värden."
    values = [spec.name for spec in schema.fields if spec.name not in keys]
    column = values[0] if values else keys[0]
    path = ".".join(f"<{key}>" for key in keys)
    return f"Platshållare: `{{{{ tabell.{schema.name}.{path}.{column} }}}}`."


def write_contract(root: Path) -> Path:
    """Write data/README.md and return its path."""
    data_root = data_root_of(root)
    path = data_root / "README.md"
    path.write_text(render_contract(data_root), encoding="utf-8")
    return path
