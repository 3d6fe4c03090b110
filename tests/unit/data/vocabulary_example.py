"""A four-level vocabulary with "Kan inte mätas", other trend words and other level names, shared by the
vocabulary tests, and a copy of the real 2024 data rewritten in its words."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT

ORG = "kommunstyrelsekontoret"
VOCABULARY = """\
bedomning:
  skala:
    - varde: Uppnått
      etikett: Målet är uppnått
      symbol: "●"
      farg: {ljus: "#1b6b2f", mork: "#74d68f"}
      raknas_som: uppfyllt
    - varde: Till stor del uppnått
      symbol: "◕"
      farg: {ljus: "#345e00", mork: "#a9dc6b"}
      raknas_som: uppfyllt
    - varde: Delvis uppnått
      symbol: "◑"
      farg: {ljus: "#7a4d00", mork: "#f2bb5c"}
    - varde: Ej uppnått
      symbol: "○"
      farg: {ljus: "#a4161a", mork: "#ff9a9a"}
      raknas_som: ej_uppfyllt
  utan_varde:
    varde: Kan inte mätas
    symbol: "?"
trend:
  positiv: {varde: Förbättrad, symbol: "↑"}
  oforandrad: {varde: Oförändrad, symbol: "→"}
  negativ: {varde: Försämrad, symbol: "↓"}
  ej_bedomd: {varde: Ej bedömd, symbol: "–"}
nivaer:
  mal: {ental: Nämndmål, flertal: nämndmål}
  indikator: {ental: Nyckeltal, flertal: nyckeltal}
"""
# Norrtälje's words in the 2024 data, and this vocabulary's for them.
REWORDED = {
    "Uppfyllt": "Uppnått",
    "Delvis uppfyllt": "Delvis uppnått",
    "Ej uppfyllt": "Ej uppnått",
    "Inget värde angivet": "Kan inte mätas",
    "Positiv": "Förbättrad",
    "Negativ": "Försämrad",
    "Ej utvärderad": "Ej bedömd",
}


def project_with_vocabulary(root: Path, *, reword: bool = True) -> Path:
    """`root` made a project with the real 2024 data and the vocabulary above; with `reword`, the
    assessments and trends of inriktningsmal.csv and indikatorer.csv in the vocabulary's words."""
    org = root / "data" / ORG
    shutil.copytree(ROOT / "data" / ORG / "2024", org / "2024")
    (org / "vokabular.yml").write_text(VOCABULARY, encoding="utf-8")
    if reword:
        for name in ("inriktningsmal.csv", "indikatorer.csv"):
            path = org / "2024" / name
            path.write_text(reworded(path.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def reworded(text: str) -> str:
    """`text` with every cell holding a Norrtälje word in the vocabulary's word (whole cells only)."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([REWORDED.get(cell, cell) for cell in row])
    return out.getvalue()
