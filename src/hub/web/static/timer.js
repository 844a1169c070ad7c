// Ticks the running timer's elapsed time; the server rendered it (and the start), so without
// this script the page is right as of its load.
document.addEventListener("DOMContentLoaded", () => {
  const shown = document.querySelector("[data-elapsed]");
  if (!shown) return;
  const loaded = Date.now() - Number(shown.dataset.elapsed) * 1000;
  const pad = (n) => String(n).padStart(2, "0");
  setInterval(() => {
    const s = Math.floor((Date.now() - loaded) / 1000);
    shown.textContent = `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  }, 1000);
});
