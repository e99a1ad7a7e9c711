// The portal's ageing-friendly checks, run inside the page by tests/portal.rs. Returns a list of
// findings (empty when the page passes): text smaller than `minFont` px, line height under 1.3,
// text contrast under 4.5:1, click targets under `minTarget` px (links inside running text
// excepted), paragraph spacing in 长者模式, and sideways scroll.
var minFont = arguments[0], minTarget = arguments[1], elder = arguments[2];
var out = [];
function visible(el) {
  var s = getComputedStyle(el);
  if (s.visibility === "hidden" || s.display === "none" || parseFloat(s.opacity) === 0) return false;
  var r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 - window.scrollY;
}
function name(el) {
  var t = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 30);
  return el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "") + " «" + t + "»";
}
function rgba(c) {
  var m = c.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  var p = m[1].split(",").map(function (x) { return parseFloat(x); });
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function background(el) {
  for (var e = el; e; e = e.parentElement) {
    var c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0.5) return c;
  }
  return [255, 255, 255, 1];
}
function luminance(c) {
  var v = c.slice(0, 3).map(function (x) {
    x /= 255;
    return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}
function contrast(a, b) {
  var l1 = luminance(a), l2 = luminance(b);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}
// Every element that holds text of its own.
document.querySelectorAll("body *").forEach(function (el) {
  if (["SCRIPT", "STYLE", "NOSCRIPT", "OPTION"].indexOf(el.tagName) >= 0) return;
  var own = Array.prototype.some.call(el.childNodes, function (n) {
    return n.nodeType === 3 && n.textContent.trim().length > 0;
  });
  if (!own || !visible(el)) return;
  var s = getComputedStyle(el);
  var size = parseFloat(s.fontSize);
  if (size < minFont - 0.01) out.push("font " + size + "px < " + minFont + ": " + name(el));
  var lh = s.lineHeight === "normal" ? size * 1.2 : parseFloat(s.lineHeight);
  if (lh < 1.3 * size - 0.01) out.push("line height " + lh.toFixed(1) + "px < 1.3 × " + size + ": " + name(el));
  var ratio = contrast(rgba(s.color), background(el));
  if (ratio < 4.5) out.push("contrast " + ratio.toFixed(2) + " < 4.5: " + name(el));
  // 长者模式: paragraph spacing at least 1.3 × the line height.
  if (elder && el.tagName === "P" && el.nextElementSibling && el.nextElementSibling.tagName === "P") {
    var gap = parseFloat(s.marginBottom);
    if (gap < 1.3 * lh - 0.5) out.push("paragraph spacing " + gap.toFixed(1) + "px < 1.3 × " + lh.toFixed(1) + ": " + name(el));
  }
});
// Every click target, except a link inside a sentence (its paragraph has other text).
document.querySelectorAll("a[href], button, input, select, textarea, summary, [role=button]").forEach(function (el) {
  if (!visible(el) || el.type === "hidden") return;
  if (el.tagName === "A") {
    var block = el.parentElement;
    while (block && getComputedStyle(block).display.indexOf("inline") === 0) block = block.parentElement;
    if (block && block.tagName === "P" && block.innerText.trim() !== el.innerText.trim()) return;
  }
  var target = el;
  // A checkbox is clicked through its label.
  if (el.type === "checkbox" && el.closest("label")) target = el.closest("label");
  var r = target.getBoundingClientRect();
  if (r.width < minTarget - 0.5 || r.height < minTarget - 0.5) {
    out.push("target " + Math.round(r.width) + "×" + Math.round(r.height) + " < " + minTarget + ": " + name(el));
  }
});
if (document.documentElement.scrollWidth > document.documentElement.clientWidth) {
  out.push("sideways scroll: " + document.documentElement.scrollWidth + " > " + document.documentElement.clientWidth);
}
return out;
