// A punch button asks the browser for the phone's position first (a few seconds at most),
// then sends the form with it; without one (refused, none to be had) the punch goes anyway.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.punch")) {
    form.addEventListener("submit", event => {
      if (form.dataset.located || !navigator.geolocation) return;
      event.preventDefault();
      for (const button of form.querySelectorAll("button")) button.disabled = true;
      const send = () => { form.dataset.located = "1"; form.submit(); };
      navigator.geolocation.getCurrentPosition(position => {
        form.elements.lat.value = position.coords.latitude;
        form.elements.lon.value = position.coords.longitude;
        form.elements.accuracy_m.value = position.coords.accuracy;
        send();
      }, send, {enableHighAccuracy: true, timeout: 8000, maximumAge: 60000});
    });
  }
});
