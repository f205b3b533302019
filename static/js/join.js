// Preselect the phone's own time zone on the join form, if the list has it.
const zoneSelect = document.getElementById("id_time_zone");
const deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (zoneSelect && !zoneSelect.form.dataset.bound && zoneSelect.querySelector(`option[value="${deviceZone}"]`)) {
  zoneSelect.value = deviceZone;
}
