// The words of a moderation queue's bulk bar ("3 comments selected"), given
// to Wagtail's bulk actions under the queue's item type (see
// community/admin/moderation_index.html). Runs before the first selection.
(function () {
  "use strict";
  var script = document.currentScript;
  var data = document.getElementById("community-bulk-strings");
  if (!script || !data || !window.wagtailConfig) {
    return;
  }
  var strings = window.wagtailConfig.STRINGS;
  strings.BULK_ACTIONS[script.dataset.itemType] = JSON.parse(data.textContent);
})();
