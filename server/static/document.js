// Document pages: bring the selected claim's card into view inside the claims column
// (the text itself scrolls to the quote through the URL fragment).
"use strict";
(function () {
  const card = document.querySelector(".claim-card.selected");
  const column = document.querySelector(".document-claims");
  if (!card || !column) return;
  column.scrollTop += card.getBoundingClientRect().top - column.getBoundingClientRect().top;
})();
