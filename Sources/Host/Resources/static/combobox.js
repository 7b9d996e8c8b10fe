// Kooperator: a record chosen by name, as an ARIA 1.2 combobox (an editable input with a listbox
// popup, https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). Without this script the same field
// is a select with a search box and a button beside it (search, then pick); with it, the user
// types part of a name, the host lists the matches within the user's reach, and the arrow keys,
// Enter and Escape pick one. The select stays in the form and carries the chosen value.
(function () {
  "use strict";

  function enhance(field) {
    var select = field.querySelector("select");
    var search = field.querySelector(".reference-search");
    var form = field.closest("form");
    if (!select || !search || !form) return;
    var label = field.querySelector('label[for="' + select.id + '"]');
    var action = new URL(form.getAttribute("action"), window.location.href);
    var source = action.pathname + "/choices?field=" + encodeURIComponent(select.name) + "&q=";

    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "-combobox";
    input.className = "combobox";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", select.id + "-listbox");
    if (select.required) input.setAttribute("aria-required", "true");
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", "true");
    var described = select.getAttribute("aria-describedby");
    var status = document.createElement("p");
    status.id = select.id + "-status";
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", ((described || "") + " " + status.id).trim());
    var chosen = select.options[select.selectedIndex];
    if (chosen && chosen.value) input.value = chosen.text;

    var list = document.createElement("ul");
    list.id = select.id + "-listbox";
    list.className = "combobox-list";
    list.setAttribute("role", "listbox");
    if (label) {
      if (!label.id) label.id = select.id + "-label";
      list.setAttribute("aria-labelledby", label.id);
      label.htmlFor = input.id;
    }
    list.hidden = true;

    // The select keeps the value but leaves the tab order and the accessibility tree.
    select.hidden = true;
    select.required = false;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
    search.hidden = true;
    select.insertAdjacentElement("afterend", input);
    input.insertAdjacentElement("afterend", list);
    input.insertAdjacentElement("afterend", status);

    var options = [];
    var active = -1;
    var pending = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      active = index;
      options.forEach(function (item, i) {
        item.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index < 0) {
        input.removeAttribute("aria-activedescendant");
      } else {
        input.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      }
    }

    function choose(index) {
      var item = options[index];
      if (!item) return;
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === item.value; });
      if (!option) {
        option = document.createElement("option");
        option.value = item.value;
        option.text = item.label;
        select.appendChild(option);
      }
      select.value = item.value;
      input.value = item.label;
      close();
    }

    function show(found) {
      list.textContent = "";
      options = found.map(function (item, i) {
        var element = document.createElement("li");
        element.id = list.id + "-" + i;
        element.setAttribute("role", "option");
        element.setAttribute("aria-selected", "false");
        element.textContent = item.label;
        element.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(element);
        return { value: item.value, label: item.label, element: element };
      });
      list.hidden = options.length === 0;
      input.setAttribute("aria-expanded", options.length ? "true" : "false");
      status.textContent = options.length === 0 ? (document.documentElement.lang === "en" ? "No matches." : "Inga träffar.")
        : options.length + (document.documentElement.lang === "en" ? " matches; use the arrow keys." : " träffar; välj med piltangenterna.");
      mark(-1);
    }

    function lookUp() {
      var ask = ++asked;
      fetch(source + encodeURIComponent(input.value.trim()), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) { if (ask === asked) show(found); })
        .catch(function () { if (ask === asked) show([]); });
    }

    input.addEventListener("input", function () {
      // Typing over a chosen name clears the choice until a new one is picked.
      select.value = "";
      clearTimeout(pending);
      pending = setTimeout(lookUp, 150);
    });
    input.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (list.hidden) { lookUp(); return; }
          mark(Math.min(active + 1, options.length - 1));
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!list.hidden) mark(Math.max(active - 1, 0));
          break;
        case "Enter":
          if (!list.hidden && active >= 0) { event.preventDefault(); choose(active); }
          break;
        case "Escape":
          if (!list.hidden) { event.preventDefault(); close(); }
          break;
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll(".field.reference").forEach(enhance);
})();
