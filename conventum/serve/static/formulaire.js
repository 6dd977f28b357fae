/* The clerk's form, in the page: choices filtered by the party's nature and agreed with the
   civilité, fields marked when their check finds a problem, the official geography searched as a
   party's name is typed, the focus put in a block just added. Without JavaScript the server does
   all of it at each submission. */
(function () {
  "use strict";

  function partyOf(element) { return element.closest("[data-partie]"); }

  function field(party, suffix) {
    return party.querySelector('[name="' + party.dataset.partie + "." + suffix + '"]');
  }

  /* Qualités and organs: only those of the party's nature; the qualités as the civilité agrees them. */
  function filterChoices(party) {
    var natureSelect = field(party, "nature");
    var nature = natureSelect ? natureSelect.value : "";
    var civility = field(party, "representant.civilite");
    var gender = civility ? civility.value : "";
    party.querySelectorAll("option[data-natures]").forEach(function (option) {
      var fits = !nature || option.dataset.natures.split(" ").indexOf(nature) >= 0;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) { option.parentElement.value = ""; }
    });
    party.querySelectorAll("option[data-m]").forEach(function (option) {
      var m = option.dataset.m, f = option.dataset.f;
      option.textContent = gender === "Madame" ? f : gender === "Monsieur" || m === f ? m : m + " / " + f;
    });
  }

  /* A field's error area changed: the field is marked (aria-invalid, red border) or unmarked. */
  function mark(area) {
    if (!area.id || area.id.slice(-7) !== "-erreur") { return; }
    var control = document.getElementById(area.id.slice(0, -7));
    if (!control || !/^(INPUT|SELECT|TEXTAREA)$/.test(control.tagName)) { return; }
    var wrong = area.querySelector("p:not(.avertissement)") !== null;
    if (wrong) { control.setAttribute("aria-invalid", "true"); } else { control.removeAttribute("aria-invalid"); }
  }

  /* The official geography, searched as a party's name is typed. */
  function setValue(party, suffix, value) {
    var input = field(party, suffix);
    if (!input || value === null || value === undefined) { return; }
    input.value = value;
    /* an identifier shown as text, not edited: its text follows its hidden input */
    var shown = party.querySelector('[data-montre="' + input.name + '"]');
    if (shown) { shown.textContent = value || "—"; }
  }

  function choose(input, place) {
    var party = partyOf(input);
    input.value = place.nom;
    setValue(party, "nature", place.nature);
    setValue(party, "insee", place.insee || "");
    setValue(party, "siren", place.siren || "");
    setValue(party, "departement", place.departement || "");
    setValue(party, "article", place.article || "");
    if (place.code_postal) { setValue(party, "adresse.code_postal", place.code_postal); }
    if (place.commune) { setValue(party, "adresse.commune", place.commune); }
    filterChoices(party);
    close(input);
    var street = field(party, "adresse.voie");
    if (street) { street.focus(); }
  }

  function close(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function show(input, places) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    list.innerHTML = "";
    places.forEach(function (place, index) {
      var item = document.createElement("li");
      item.id = input.id + "-choix-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = place.libelle;  /* text, never HTML */
      item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(input, place); });
      item.place = place;
      list.appendChild(item);
    });
    list.hidden = places.length === 0;
    input.setAttribute("aria-expanded", places.length ? "true" : "false");
  }

  var timers = {};
  function search(input) {
    var query = input.value.trim();
    clearTimeout(timers[input.id]);
    if (query.length < 2) { close(input); return; }
    timers[input.id] = setTimeout(function () {
      fetch("/geographie?q=" + encodeURIComponent(query.slice(0, 80)))
        .then(function (answer) { return answer.ok ? answer.json() : { resultats: [] }; })
        .then(function (found) { if (input.value.trim() === query) { show(input, found.resultats || []); } })
        .catch(function () { close(input); });
    }, 200);
  }

  function move(input, step) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var items = Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
    if (!items.length) { return; }
    var current = items.findIndex(function (item) { return item.getAttribute("aria-selected") === "true"; });
    var next = (current + step + items.length) % items.length;
    items.forEach(function (item, index) { item.setAttribute("aria-selected", index === next ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[next].id);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-recherche]")) { search(event.target); }
  });
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-recherche]")) { return; }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(input, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && input.getAttribute("aria-activedescendant")) {
      event.preventDefault();
      choose(input, document.getElementById(input.getAttribute("aria-activedescendant")).place);
    } else if (event.key === "Escape") {
      close(input);
    }
  });
  document.addEventListener("focusout", function (event) {
    if (event.target.matches && event.target.matches("[data-recherche]")) {
      setTimeout(function () { close(event.target); }, 150);
    }
  });
  document.addEventListener("change", function (event) {
    var party = partyOf(event.target);
    if (party && /\.(nature|representant\.civilite)$/.test(event.target.name)) { filterChoices(party); }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    mark(event.detail.target);
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    mark(event.detail.target);
  });
  /* A block added or removed in place: the focus goes into the new block (or back to the list). */
  document.addEventListener("htmx:afterSettle", function () {
    var added = document.querySelector("[data-focus]");
    if (!added) { return; }
    added.removeAttribute("data-focus");
    var first = added.querySelector("input:not([type=hidden]), select, textarea");
    (first || added).focus();
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-partie]").forEach(filterChoices);
    document.querySelectorAll("[data-avec-js]").forEach(function (element) { element.hidden = false; });
  });
})();
