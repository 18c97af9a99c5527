// The upload page: the file goes to the server with its upload's progress shown (XMLHttpRequest: fetch() reports
// none), the text read from it comes back for review with its page breaks marked, the analyst may correct it,
// then the file, the reviewed text and the metadata are sent again to be saved (nothing is stored before).
import { append, h } from "./dom.js";
import { HttpError, csrfToken, errorText, pageUrl } from "./http.js";

const root = document.querySelector("[data-upload]");
const fileForm = root.querySelector("[data-file-form]");
const fileInput = root.querySelector("[data-file]");
const progress = root.querySelector("[data-progress]");
const status = root.querySelector("[data-status]");
const review = root.querySelector('[data-step="review"]');
const metadata = root.querySelector('[data-step="metadata"]');
const pagesBox = root.querySelector("[data-review-pages]");
const textArea = root.querySelector("[data-review-text]");
const form = root.querySelector("[data-metadata-form]");
const saveStatus = root.querySelector("[data-save-status]");
const authorsBox = root.querySelector("[data-authors]");
const authorRow = root.querySelector("[data-author-row]");

let chosen = null; // the File read, sent again on save
let extracted = null; // the server's answer: {text, pages, kind, ...}

// POST a FormData with XMLHttpRequest, reporting the upload's progress (0-100) and then "reading".
function send(url, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(Math.round((100 * event.loaded) / event.total));
    });
    xhr.upload.addEventListener("load", () => onProgress(null));
    xhr.addEventListener("load", () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.response);
      else reject(new HttpError(xhr.status, xhr.response));
    });
    xhr.addEventListener("error", () => reject(new HttpError(0, { detail: "The server could not be reached." })));
    xhr.send(body);
  });
}

function showProgress(element, label) {
  return (percent) => {
    progress.hidden = false;
    if (percent === null) {
      progress.removeAttribute("value"); // indeterminate: the server is reading the file
      element.textContent = `${label}: uploaded, the server is reading it…`;
    } else {
      progress.value = percent;
      element.textContent = `${label}: ${percent}% uploaded`;
    }
  };
}

function say(element, message, isError = false) {
  element.textContent = message;
  element.classList.toggle("error", isError);
}

// The text page by page, each break marked with the number of the page that follows it.
function drawPages(text, pages) {
  pagesBox.replaceChildren();
  const ranges = pages.length ? pages : [[0, text.length]];
  const chars = Array.from(text); // offsets are code points
  ranges.forEach(([start, end], i) => {
    append(pagesBox, [
      pages.length ? h("p", { class: "page-break", "data-page-break": i + 1 }, `Page ${i + 1}`) : null,
      h("section", { class: "review-page", "data-review-page": i + 1 }, h("pre", {}, chars.slice(start, end).join(""))),
    ]);
  });
}

fileForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  chosen = fileInput.files[0];
  if (!chosen) return;
  const body = new FormData();
  body.append("file", chosen);
  body.append("project", root.dataset.project);
  say(status, "");
  try {
    extracted = await send(pageUrl(root, "extractUrl"), body, showProgress(status, chosen.name));
  } catch (error) {
    progress.hidden = true;
    say(status, error.fields?.file || error.message, true);
    review.hidden = metadata.hidden = true;
    return;
  }
  progress.hidden = true;
  const pageNote = extracted.pages.length ? `${extracted.pages.length} pages, ` : "";
  say(status, `Read ${chosen.name}: ${extracted.kind.toUpperCase()}, ${pageNote}${extracted.length} characters.`);
  root.querySelector("[data-review-summary]").textContent = extracted.existing
    ? `This text is already in the project as “${extracted.existing}”: saving it again will be refused.`
    : "Check the text below. Correct it if the extraction went wrong (hyphenation, headers, columns).";
  drawPages(extracted.text, extracted.pages);
  textArea.value = extracted.text;
  review.hidden = metadata.hidden = false;
  if (!form.elements.title.value) form.elements.title.value = chosen.name.replace(/\.[^.]+$/, "");
});

root.querySelector("[data-add-author]").addEventListener("click", (event) => {
  event.target.before(authorRow.content.cloneNode(true));
});

function authors() {
  return Array.from(authorsBox.querySelectorAll(".author-row"))
    .map((row) => ({
      name: row.querySelector('[name="author-name"]').value.trim(),
      affiliation: row.querySelector('[name="author-affiliation"]').value.trim(),
      country: row.querySelector('[name="author-country"]').value.trim(),
    }))
    .filter((author) => author.name);
}

function showFieldErrors(error) {
  form.querySelectorAll(".field-error").forEach((el) => el.remove());
  for (const [field, message] of Object.entries(error.fields || {})) {
    const label = form.elements[field]?.closest?.("label");
    if (label) label.append(h("span", { class: "field-error" }, ` ${message}`));
  }
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = new FormData();
  body.append("file", chosen);
  body.append("project", root.dataset.project);
  for (const name of ["title", "year", "venue", "doi", "url", "language", "slug"]) {
    body.append(name, form.elements[name].value.trim());
  }
  body.append("authors", JSON.stringify(authors()));
  // Sent as a file part: a long text would pass the limit of plain form fields.
  if (textArea.value !== extracted.text) body.append("text", new Blob([textArea.value], { type: "text/plain" }), "text.txt");
  say(saveStatus, "");
  try {
    const paper = await send(pageUrl(root, "createUrl"), body, showProgress(saveStatus, "Saving"));
    progress.hidden = true;
    say(saveStatus, `Saved as “${paper.slug}”. Opening it…`);
    window.location.assign(pageUrl(root, "readerUrl", { paper: paper.slug }));
  } catch (error) {
    progress.hidden = true;
    showFieldErrors(error);
    say(saveStatus, errorText(error), true);
    if (error.status === 409 && error.body.url) {
      saveStatus.append(" ", h("a", { href: error.body.url, "data-existing": true }, `Open “${error.body.existing}”`));
    }
  }
});
