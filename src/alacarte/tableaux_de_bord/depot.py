"""A file-upload widget that checks the size in the browser, before sending anything.

ipywidgets' FileUpload reads the whole file in the browser and sends it in one websocket message:
measured here, a 50 MB file exceeds the server's message limit, the websocket closes and the page
loses its kernel (the user sees nothing). This small anywidget sends the file only if it is under
the limit (otherwise only its name and size, so that the kernel answers with a French message),
as binary buffers of a custom message: the bytes arrive in the kernel's memory and nowhere else.
It is a real ``<input type="file">`` with a ``<label>``: usable with the keyboard and screen readers.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = r"""
function render({ model, el }) {
  const id = "alc-depot-" + Math.random().toString(36).slice(2);
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = model.get("libelle");
  label.style.cssText = "display:block;font-weight:600;margin:.2rem 0";
  const input = document.createElement("input");
  input.type = "file";
  input.id = id;
  input.accept = model.get("accept");
  input.style.cssText = "font-size:16px;max-width:100%";
  input.addEventListener("change", async () => {
    const f = input.files && input.files[0];
    if (!f) return;
    const meta = { name: f.name, size: f.size, type: f.type || "" };
    if (f.size > model.get("taille_max") || f.size === 0) {
      model.send({ ...meta, refuse: true });
    } else {
      const buf = await f.arrayBuffer();
      model.send({ ...meta, refuse: false }, undefined, [buf]);
    }
    input.value = "";
  });
  el.append(label, input);
}
export default { render };
"""


class DepotFichier(anywidget.AnyWidget):
    """``DepotFichier(taille_max=…)``; ``.on_fichier(f)`` calls ``f(nom, taille, contenu_ou_None)``."""

    _esm = _ESM
    libelle = traitlets.Unicode("Choisir un fichier CSV").tag(sync=True)
    accept = traitlets.Unicode(".csv,.txt,text/csv,text/plain").tag(sync=True)
    taille_max = traitlets.Int(10_000_000).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._rappels = []
        self.on_msg(self._recu)

    def on_fichier(self, rappel) -> None:
        self._rappels.append(rappel)

    def _recu(self, _widget, contenu, buffers) -> None:
        if not isinstance(contenu, dict):
            return
        nom = str(contenu.get("name", ""))[:200]
        try:
            taille = int(contenu.get("size", 0))
        except (TypeError, ValueError):
            taille = 0
        donnees = None
        if not contenu.get("refuse") and buffers:
            donnees = bytes(buffers[0])
            taille = len(donnees)  # trust the bytes, not the announced size
        for rappel in self._rappels:
            rappel(nom, taille, donnees)
