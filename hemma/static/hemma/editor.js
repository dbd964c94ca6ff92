/* A small rich-text editor for a text block (hemma/information: block_form.html, and each
 * language's words on version_form.html, in the field's own lang and dir).
 *
 * Each <textarea data-editor> becomes an editable area (contenteditable, role="textbox",
 * aria-multiline="true", labelled by the field's label and described by its help and errors)
 * under a toolbar of real buttons cloned from <template id="editor-toolbar">, whose words the
 * server translated: Bold, Italic, Heading, Subheading, Bulleted list, Numbered list, Link,
 * Remove link. Toggles say their state with aria-pressed. The toolbar is one Tab stop; the
 * arrow keys, Home and End move along it (the ARIA toolbar pattern). Ctrl+B and Ctrl+I work in
 * the text as everywhere.
 *
 * The HTML is written back into the textarea as it changes and on submit; the server cleans it
 * again every time (hemma/lib/safe_html.py), so this script only has to be helpful, not safe.
 * Still, what it shows is first copied through an inert document keeping only the tags the
 * server keeps: nothing typed or pasted earlier runs here. Without JavaScript the textarea
 * takes HTML.
 *
 * No inline script or style: the CSP allows scripts from 'self' only.
 */
(function () {
  "use strict";

  var ALLOWED = {
    P: 1, BR: 1, STRONG: 1, EM: 1, B: 1, I: 1, H2: 1, H3: 1, UL: 1, OL: 1, LI: 1,
    BLOCKQUOTE: 1, A: 1
  };
  var SAFE_URL = /^(https?:|mailto:|tel:)/i;

  // Only the tags the server keeps, without attributes but a link's safe address.
  function copyInto(target, source) {
    Array.prototype.forEach.call(source.childNodes, function (node) {
      if (node.nodeType === Node.TEXT_NODE) {
        target.appendChild(document.createTextNode(node.nodeValue));
        return;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) {
        return;
      }
      var name = node.nodeName.toUpperCase();
      if (name === "SCRIPT" || name === "STYLE" || name === "TEMPLATE") {
        return;
      }
      if (!ALLOWED[name]) {
        copyInto(target, node); // the words of an unknown tag stay
        return;
      }
      var element = document.createElement(name.toLowerCase());
      if (name === "A") {
        var href = (node.getAttribute("href") || "").trim();
        if (SAFE_URL.test(href)) {
          element.setAttribute("href", href);
        }
      }
      copyInto(element, node);
      target.appendChild(element);
    });
  }

  function setHtml(editor, html) {
    var parsed = new DOMParser().parseFromString(html || "", "text/html");
    editor.textContent = "";
    copyInto(editor, parsed.body);
  }

  function run(command, value) {
    document.execCommand(command, false, value === undefined ? null : value);
  }

  var BLOCKS = { P: 1, H2: 1, H3: 1, UL: 1, OL: 1, BLOCKQUOTE: 1 };

  // A line of the text: a paragraph, heading, list item or quotation with no other inside.
  var LINE = "p, h2, h3, li, blockquote";

  function linesOf(editor) {
    return Array.prototype.filter.call(editor.querySelectorAll(LINE), function (element) {
      return !element.querySelector(LINE);
    });
  }

  function lineOf(editor, node) {
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentNode;
    while (element && element !== editor) {
      if (element.matches(LINE) && !element.querySelector(LINE)) {
        return element;
      }
      element = element.parentNode;
    }
    return null;
  }

  // Where a collapsed caret is, before a toolbar command: its line (the number of the line
  // among the editor's lines) and its count of characters from the line's start (null: a
  // selection, or not in a line). Chromium makes a list item or heading of a line with new
  // nodes and leaves the caret at the line's start, so neither the old nodes nor a live Range
  // on them say where it was; the line's number and the count within it do, without the
  // ambiguity of a count from the editor's start (at a line break, the end of one line is the
  // start of the next, and an empty line has no character at all).
  function caretOf(editor) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || !selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    var line = lineOf(editor, range.startContainer);
    if (line === null) {
      return null;
    }
    var before = document.createRange();
    before.setStart(line, 0);
    before.setEnd(range.startContainer, range.startOffset);
    return { line: linesOf(editor).indexOf(line), count: before.toString().length };
  }

  function place(node, offset) {
    var range = document.createRange();
    range.setStart(node, offset);
    range.collapse(true);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function putCaret(editor, caret) {
    if (caret === null) {
      return;
    }
    var lines = linesOf(editor);
    var line = lines[Math.min(caret.line, lines.length - 1)];
    if (!line) {
      return;
    }
    var walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    var node;
    var last = null;
    var left = caret.count;
    while ((node = walker.nextNode())) {
      if (left <= node.nodeValue.length) {
        place(node, left);
        return;
      }
      left -= node.nodeValue.length;
      last = node;
    }
    if (last) {
      place(last, last.nodeValue.length);
    } else {
      place(line, 0); // an empty line: <li><br></li>
    }
  }

  // A list, heading or quotation made inside a paragraph sits in it (Chromium does so), which
  // HTML does not allow: such a paragraph is unwrapped.
  function unwrapBlocks(root) {
    Array.prototype.slice.call(root.querySelectorAll("p")).forEach(function (p) {
      if (p.querySelector("ul, ol, h2, h3, blockquote, p")) {
        while (p.firstChild) {
          p.parentNode.insertBefore(p.firstChild, p);
        }
        p.remove();
      }
    });
  }

  // Every line in a block of its own (<p>, a heading, a list): text typed into an empty
  // editor or left beside a block is wrapped in a paragraph, so that Enter and the list and
  // heading commands work on whole lines (a list made from a bare line ends up inside a <p>).
  // The caret stays in the same text node.
  function wrapLines(editor) {
    var selection = window.getSelection();
    var caret =
      selection && selection.rangeCount > 0 && editor.contains(selection.anchorNode)
        ? { node: selection.anchorNode, offset: selection.anchorOffset }
        : null;
    var run = null;
    var made = [];
    Array.prototype.slice.call(editor.childNodes).forEach(function (node) {
      var isBlock = node.nodeType === Node.ELEMENT_NODE && BLOCKS[node.nodeName.toUpperCase()];
      if (isBlock) {
        run = null;
        return;
      }
      if (run === null) {
        if (
          node.nodeType === Node.TEXT_NODE &&
          !node.nodeValue.trim() &&
          (caret === null || caret.node !== node)
        ) {
          node.remove(); // the whitespace between blocks, not a space just typed
          return;
        }
        run = document.createElement("p");
        editor.insertBefore(run, node);
        made.push(run);
      }
      run.appendChild(node);
    });
    if (!editor.firstChild) {
      var empty = document.createElement("p");
      empty.appendChild(document.createElement("br"));
      editor.appendChild(empty);
      if (document.activeElement === editor) {
        place(empty, 0);
      }
      return;
    }
    if (caret === null || made.length === 0) {
      return;
    }
    if (caret.node.nodeType === Node.TEXT_NODE && editor.contains(caret.node)) {
      place(caret.node, Math.min(caret.offset, caret.node.nodeValue.length));
    } else if (caret.node === editor) {
      // Between the editor's own children, as after deleting everything: in the paragraph made.
      var line = made[made.length - 1];
      place(line, line.lastChild && line.lastChild.nodeName === "BR" ? 0 : line.childNodes.length);
    }
  }

  function blockName() {
    var value = String(document.queryCommandValue("formatBlock") || "").toLowerCase();
    return value.replace(/[<>]/g, "");
  }

  function inside(editor) {
    var selection = window.getSelection();
    return selection && selection.rangeCount > 0 && editor.contains(selection.anchorNode);
  }

  function enhance(textarea, toolbarTemplate) {
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    var wrapper = document.createElement("div");
    wrapper.className = "editor";
    var toolbar = toolbarTemplate.content.firstElementChild.cloneNode(true);
    var editor = document.createElement("div");
    editor.className = "editor-area";
    editor.id = textarea.id + "_editor";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (label) {
      label.id = label.id || textarea.id + "_label";
      editor.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () {
        editor.focus();
      });
    }
    ["aria-describedby", "aria-invalid", "lang", "dir"].forEach(function (name) {
      if (textarea.hasAttribute(name)) {
        editor.setAttribute(name, textarea.getAttribute(name));
      }
    });
    toolbar.setAttribute("aria-controls", editor.id);
    setHtml(editor, textarea.value);
    wrapLines(editor);

    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(editor);
    textarea.hidden = true;
    textarea.removeAttribute("required"); // the hidden textarea cannot be focused to say so
    try {
      document.execCommand("styleWithCSS", false, false);
      document.execCommand("defaultParagraphSeparator", false, "p");
    } catch (e) {
      /* an old browser: its defaults do */
    }

    // The HTML to keep: only the tags the server keeps (the spans Chromium may leave go, their
    // words stay); a paragraph around a list, heading or quotation unwrapped, as HTML does not
    // allow it; empty paragraphs dropped; loose text in a paragraph.
    function tidy() {
      var copy = document.createElement("div");
      copyInto(copy, editor);
      unwrapBlocks(copy);
      wrapLines(copy);
      Array.prototype.slice.call(copy.querySelectorAll("p")).forEach(function (p) {
        if (!p.textContent.trim()) {
          p.remove();
        }
      });
      return copy.innerHTML;
    }

    function save() {
      textarea.value = tidy();
    }

    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    buttons.forEach(function (button, index) {
      button.type = "button";
      button.tabIndex = index === 0 ? 0 : -1;
    });

    function update() {
      if (!inside(editor)) {
        return;
      }
      var block = blockName();
      buttons.forEach(function (button) {
        if (!button.hasAttribute("aria-pressed")) {
          return;
        }
        var command = button.dataset.command;
        var pressed;
        if (command === "formatBlock") {
          pressed = block === button.dataset.value;
        } else {
          pressed = document.queryCommandState(command);
        }
        button.setAttribute("aria-pressed", pressed ? "true" : "false");
      });
    }

    toolbar.addEventListener("mousedown", function (event) {
      // Keep the text's selection when a button is pressed with the mouse.
      if (event.target.closest("button")) {
        event.preventDefault();
      }
    });

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) {
        return;
      }
      if (!inside(editor)) {
        editor.focus();
      }
      var command = button.dataset.command;
      var caret = caretOf(editor);
      if (command === "formatBlock") {
        var wanted = button.dataset.value;
        run("formatBlock", blockName() === wanted ? "<p>" : "<" + wanted + ">");
        unwrapBlocks(editor);
        putCaret(editor, caret);
      } else if (command === "insertUnorderedList" || command === "insertOrderedList") {
        run(command);
        unwrapBlocks(editor);
        putCaret(editor, caret);
      } else if (command === "createLink") {
        var address = window.prompt(button.dataset.prompt || "", "https://");
        if (address && SAFE_URL.test(address.trim())) {
          run("createLink", address.trim());
        } else if (address) {
          window.alert(button.dataset.refused || "");
        }
      } else {
        run(command);
      }
      editor.focus();
      wrapLines(editor);
      save();
      update();
    });

    toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) {
        return;
      }
      var rtl = getComputedStyle(toolbar).direction === "rtl";
      var next = null;
      if (event.key === (rtl ? "ArrowLeft" : "ArrowRight")) {
        next = (index + 1) % buttons.length;
      } else if (event.key === (rtl ? "ArrowRight" : "ArrowLeft")) {
        next = (index - 1 + buttons.length) % buttons.length;
      } else if (event.key === "Home") {
        next = 0;
      } else if (event.key === "End") {
        next = buttons.length - 1;
      }
      if (next !== null) {
        event.preventDefault();
        buttons[index].tabIndex = -1;
        buttons[next].tabIndex = 0;
        buttons[next].focus();
      }
    });

    editor.addEventListener("input", function () {
      wrapLines(editor);
      save();
    });
    editor.addEventListener("keyup", update);
    editor.addEventListener("mouseup", update);
    document.addEventListener("selectionchange", update);
    if (textarea.form) {
      textarea.form.addEventListener("submit", save);
    }
  }

  function start() {
    var template = document.getElementById("editor-toolbar");
    if (!template || !("content" in template) || typeof document.execCommand !== "function") {
      return;
    }
    document.querySelectorAll("textarea[data-editor]").forEach(function (textarea) {
      enhance(textarea, template);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
