// The site header's menu button: below 40rem (see app.css) the navigation and account links
// fold behind it. Without this script the button stays hidden and the links simply wrap.
(() => {
  const header = document.querySelector(".site-header");
  const toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) return;
  const setOpen = (open) => {
    toggle.setAttribute("aria-expanded", String(open));
    header.classList.toggle("site-header--open", open);
  };
  header.classList.add("site-header--collapsible");
  toggle.hidden = false;
  setOpen(false);
  toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("site-header--open")) {
      setOpen(false);
      toggle.focus();
    }
  });
})();
