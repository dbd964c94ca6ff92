/* A small rich-text editor for a text block (hemma/information, block_form.html).
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

  // Where a collapsed caret is: its text node and offset, and its count of characters from
  // the editor's start (null: a selection). Chromium may leave the caret at the start of a
  // line it has just made a list item or heading; it is put back where it was: in the same
  // text node if it is still there, else at the same count of characters.
  function caretOf(editor) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || !selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    var before = range.cloneRange();
    before.setStart(editor, 0);
    return { node: range.startContainer, offset: range.startOffset, count: before.toString().length };
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
    if (caret.node.nodeType === Node.TEXT_NODE && editor.contains(caret.node)) {
      place(caret.node, Math.min(caret.offset, caret.node.nodeValue.length));
      return;
    }
    var walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
    var node;
    var last = null;
    var left = caret.count;
    while ((node = walker.nextNode())) {
      if (left < node.nodeValue.length) {
        place(node, left);
        return;
      }
      left -= node.nodeValue.length;
      last = node;
    }
    if (last) {
      place(last, last.nodeValue.length);
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

    // A list made inside a paragraph sits in it in the editor's DOM, which HTML does not
    // allow (the server would read empty paragraphs around it): such a paragraph is unwrapped,
    // and empty ones dropped.
    function tidy() {
      var copy = editor.cloneNode(true);
      Array.prototype.slice.call(copy.querySelectorAll("p")).forEach(function (p) {
        if (p.querySelector("ul, ol, h2, h3, blockquote, p")) {
          while (p.firstChild) {
            p.parentNode.insertBefore(p.firstChild, p);
          }
          p.remove();
        } else if (!p.textContent.trim()) {
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
        putCaret(editor, caret);
      } else if (command === "insertUnorderedList" || command === "insertOrderedList") {
        run(command);
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

    editor.addEventListener("input", save);
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
