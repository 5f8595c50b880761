"""What the browser tests evaluate in the page to measure how readable an element is."""

# WCAG 2.x contrast of an element's text against what is really behind it: the element's
# and its ancestors' backgrounds composited over the canvas, then the (maybe translucent)
# text colour composited over that.
CONTRAST_JS = """
(el) => {
  const parse = (c) => {
    const m = c.match(/^rgba?\\(([^)]*)\\)$/);
    if (!m) throw new Error('unexpected colour format: ' + c);
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1});
  const layers = [];
  for (let n = el; n; n = n.parentElement) layers.push(parse(getComputedStyle(n).backgroundColor));
  let bg = {r: 255, g: 255, b: 255, a: 1};
  for (const layer of layers.reverse()) bg = over(layer, bg);
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const style = getComputedStyle(el);
  const fg = over(parse(style.color), bg);
  const border = over(parse(style.borderLeftColor), bg);
  const page = over(parse(getComputedStyle(document.body).backgroundColor), {r: 255, g: 255, b: 255, a: 1});
  const hex = (c) => '#' + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  return {text: ratio(fg, bg), fg: hex(fg), bg: hex(bg), page: hex(page),
          border: ratio(border, page), borderWidth: parseFloat(style.borderLeftWidth),
          backgroundOverPage: ratio(bg, page)};
}
"""
