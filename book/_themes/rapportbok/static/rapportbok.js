/* rapportbok's web pages: the chapter menu on narrow screens, the colour choice, and tables that
   become one labelled block per row when they do not fit a narrow screen. Without JavaScript the
   menu stays open above the article and wide tables scroll in their own box. */
(function () {
  "use strict";

  var NARROW = window.matchMedia("(max-width: 60rem)");

  function setupMenu() {
    var button = document.querySelector(".rb-menu-button");
    var menu = document.getElementById("rb-meny");
    if (!button || !menu) {
      return;
    }
    var close = menu.querySelector(".rb-menu-close");
    button.hidden = false;
    if (close) {
      close.hidden = false;
    }

    function isOpen() {
      return button.getAttribute("aria-expanded") === "true";
    }
    function open() {
      menu.classList.add("rb-open");
      button.setAttribute("aria-expanded", "true");
      var first = menu.querySelector("a[href]");
      if (first) {
        first.focus();
      }
    }
    function shut(returnFocus) {
      menu.classList.remove("rb-open");
      button.setAttribute("aria-expanded", "false");
      if (returnFocus) {
        button.focus();
      }
    }

    button.addEventListener("click", function () {
      if (isOpen()) {
        shut(false);
      } else {
        open();
      }
    });
    if (close) {
      close.addEventListener("click", function () {
        shut(true);
      });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen() && NARROW.matches) {
        event.preventDefault();
        shut(true);
      }
    });
  }

  function setupColourChoice() {
    var select = document.getElementById("rb-fargval");
    if (!select) {
      return;
    }
    var root = document.documentElement;
    select.value = root.dataset.farg || "system";
    select.addEventListener("change", function () {
      var chosen = select.value;
      if (chosen === "ljust" || chosen === "morkt") {
        root.dataset.farg = chosen;
      } else {
        delete root.dataset.farg;
      }
      try {
        if (chosen === "ljust" || chosen === "morkt") {
          localStorage.setItem("rapportbok-farg", chosen);
        } else {
          localStorage.removeItem("rapportbok-farg");
        }
      } catch (error) {
        /* storage blocked: the choice holds for this page only */
      }
    });
  }

  var ROLES = { TABLE: "table", TBODY: "rowgroup", TR: "row", TD: "cell" };

  /* Each data cell learns the name of its column, for the labelled-block layout. */
  function labelCells(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) {
      return;
    }
    var names = [];
    Array.prototype.forEach.call(head.rows[head.rows.length - 1].cells, function (cell) {
      for (var span = 0; span < cell.colSpan; span += 1) {
        names.push(cell.textContent.replace(/\s+/g, " ").trim());
      }
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (cell.tagName === "TD" && cell.colSpan === 1 && names[column]) {
            cell.setAttribute("data-label", names[column]);
          }
          column += cell.colSpan;
        });
      });
    });
  }

  /* Blocks keep the table's meaning for screen readers: explicit roles while the table is stacked. */
  function setStacked(table, stacked) {
    table.classList.toggle("rb-stacked", stacked);
    var parts = [table].concat(Array.prototype.slice.call(table.querySelectorAll("tbody, tr, td, th")));
    parts.forEach(function (part) {
      var role = ROLES[part.tagName];
      if (part.tagName === "TH") {
        role = part.getAttribute("scope") === "row" ? "rowheader" : "columnheader";
      }
      if (stacked && role) {
        part.setAttribute("role", role);
      } else {
        part.removeAttribute("role");
      }
    });
  }

  function fitTables() {
    Array.prototype.forEach.call(document.querySelectorAll("table.rb-table"), function (table) {
      setStacked(table, false);
      if (!NARROW.matches) {
        return;
      }
      var box = table.parentElement;
      if (box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1) {
        setStacked(table, true);
      }
    });
  }

  function setupTables() {
    Array.prototype.forEach.call(document.querySelectorAll("table.rb-table"), labelCells);
    fitTables();
    var pending = false;
    function refit() {
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          fitTables();
        });
      }
    }
    window.addEventListener("resize", refit);
    document.addEventListener("toggle", refit, true); /* a chart's data table was opened */
  }

  /* The in-page contents belongs under the page's title (without JavaScript it stays above it). */
  function placePageContents() {
    var contents = document.querySelector("details.rb-page-toc");
    var title = document.querySelector(".rb-article h1");
    if (contents && title) {
      title.insertAdjacentElement("afterend", contents);
    }
  }

  /* The organisation and year menus (multi-book site): one open at a time; Escape closes the open one
     and returns to its button; a click or focus outside closes it. Without JavaScript they stay
     plain <details> menus. */
  function setupSwitchers() {
    var menus = Array.prototype.slice.call(document.querySelectorAll("details.rb-switcher"));
    if (!menus.length) {
      return;
    }
    menus.forEach(function (menu) {
      menu.addEventListener("toggle", function () {
        if (menu.open) {
          menus.forEach(function (other) {
            if (other !== menu) {
              other.open = false;
            }
          });
        }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      menus.forEach(function (menu) {
        if (menu.open) {
          event.preventDefault();
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
    });
    function closeOutside(event) {
      menus.forEach(function (menu) {
        if (menu.open && !menu.contains(event.target)) {
          menu.open = false;
        }
      });
    }
    document.addEventListener("click", closeOutside);
    document.addEventListener("focusin", closeOutside);
  }

  function start() {
    placePageContents();
    setupSwitchers();
    setupMenu();
    setupColourChoice();
    setupTables();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
