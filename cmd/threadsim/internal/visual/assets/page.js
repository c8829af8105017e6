// threadsim trace viewer: fills the details panel from a step's data
// attributes, joins the two sides of each data race with a dashed line, and
// marks the body data-ready when done. No dependencies, no network.
(function () {
  "use strict";
  var fields = [
    ["step", "step"], ["time", "time"], ["thread-name", "thread"], ["op", "operation"],
    ["target", "on"], ["access", "access"], ["result", "result"], ["decision", "decision"],
    ["preempts", "preempts"], ["races", "data race"], ["failed", "failed"]
  ];
  var pinned = null;

  function show(step) {
    var dl = document.getElementById("details-fields");
    dl.textContent = "";
    fields.forEach(function (f) {
      var v = step.getAttribute("data-" + f[0]);
      if (!v) { return; }
      var dt = document.createElement("dt");
      var dd = document.createElement("dd");
      dt.textContent = f[1];
      dd.textContent = v;
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    document.getElementById("details").setAttribute("data-step", step.getAttribute("data-step"));
  }

  // select pins step in the details panel; selecting it again unpins it.
  function select(step) {
    var again = pinned === step;
    if (pinned) { pinned.classList.remove("selected"); }
    pinned = again ? null : step;
    if (!again) { step.classList.add("selected"); }
    show(step);
  }

  // reveal scrolls the timeline, and only the timeline, so that step is in
  // its middle: the header and the findings stay in view.
  function reveal(step) {
    var box = document.getElementById("timeline");
    var r = step.getBoundingClientRect(), c = box.getBoundingClientRect();
    box.scrollTop += r.top - c.top - c.height / 2 + r.height / 2;
    box.scrollLeft += Math.min(0, r.left - c.left - 40);
  }

  function link(svg, box, a, b, id) {
    var ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
    var ox = box.left - svg.parentNode.scrollLeft, oy = box.top - svg.parentNode.scrollTop;
    var right = rb.left >= ra.left;
    var x1 = (right ? ra.right : ra.left) - ox, y1 = ra.top + ra.height / 2 - oy;
    var x2 = (right ? rb.left : rb.right) - ox, y2 = rb.top + rb.height / 2 - oy;
    if (Math.abs(ra.left - rb.left) < 4) { x1 = ra.right - ox; x2 = rb.right - ox; }
    var bend = Math.max(40, Math.abs(x2 - x1) / 2);
    var c1 = x1 + (right ? bend : -bend), c2 = x2 - (right ? bend : -bend);
    var ns = "http://www.w3.org/2000/svg";
    var path = document.createElementNS(ns, "path");
    path.setAttribute("class", "race-link");
    path.setAttribute("data-race", id);
    path.setAttribute("marker-end", "url(#arrow)");
    path.setAttribute("d", "M" + x1 + "," + y1 + " C" + c1 + "," + y1 + " " + c2 + "," + y2 + " " + x2 + "," + y2);
    svg.appendChild(path);
    var text = document.createElementNS(ns, "text");
    text.setAttribute("x", (x1 + x2) / 2 + 4);
    text.setAttribute("y", (y1 + y2) / 2);
    text.textContent = id;
    svg.appendChild(text);
  }

  function drawRaces() {
    var svg = document.getElementById("links");
    var box = svg.parentNode.getBoundingClientRect();
    svg.querySelectorAll(".race-link, text").forEach(function (n) { n.remove(); });
    svg.setAttribute("width", svg.parentNode.scrollWidth);
    svg.setAttribute("height", svg.parentNode.scrollHeight);
    document.querySelectorAll(".race-item").forEach(function (item) {
      var a = document.getElementById("step-" + item.getAttribute("data-first"));
      var b = document.getElementById("step-" + item.getAttribute("data-second"));
      if (a && b) { link(svg, box, a, b, item.getAttribute("data-race")); }
    });
  }

  document.querySelectorAll(".step").forEach(function (step) {
    step.addEventListener("mouseenter", function () { if (!pinned) { show(step); } });
    step.addEventListener("click", function () { select(step); });
    step.addEventListener("keydown", function (e) { if (e.key === "Enter") { select(step); } });
  });
  document.querySelectorAll(".race-item").forEach(function (item) {
    item.addEventListener("click", function (e) {
      var a = e.target.closest("a[href^='#step-']");
      var step = document.getElementById(a ? a.getAttribute("href").slice(1) : "step-" + item.getAttribute("data-first"));
      if (a) { e.preventDefault(); }
      if (step) { select(step); reveal(step); }
    });
  });
  // The steps inside primitives are hidden until the toggle shows them.
  var toggle = document.getElementById("show-inner");
  if (toggle) {
    toggle.addEventListener("change", function () {
      document.body.classList.toggle("show-inner", toggle.checked);
      drawRaces();
    });
  }
  drawRaces();
  window.addEventListener("resize", drawRaces);
  // A link to page.html#step=N opens with step N selected and in view.
  var hash = /^#step=(\d+)$/.exec(location.hash);
  var linked = hash && document.getElementById("step-" + hash[1]);
  var first = document.querySelector(".step.race, .step.failed");
  // Without one, it opens scrolled to the failure (or the first race).
  if (linked) { select(linked); reveal(linked); } else if (first) { show(first); reveal(first); }
  document.body.setAttribute("data-ready", "true");
}());
