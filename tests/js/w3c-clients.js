// Real W3C Web Annotation clients, bundled for the browser by esbuild (tests/test_selectors_in_browser.py):
// Apache Annotator, which matches selectors strictly and follows refinedBy, and the dom-anchor pair
// Hypothesis grew from, which finds a quote fuzzily near a hint.
import {
  createCssSelectorMatcher, createTextPositionSelectorMatcher, createTextQuoteSelectorMatcher,
} from "@apache-annotator/dom";
import { makeRefinable } from "@apache-annotator/selector";
import * as textPosition from "dom-anchor-text-position";
import * as textQuote from "dom-anchor-text-quote";

const creators = {
  CssSelector: createCssSelectorMatcher,
  TextQuoteSelector: createTextQuoteSelectorMatcher,
  TextPositionSelector: createTextPositionSelectorMatcher,
};

window.w3cClients = {
  match: makeRefinable((selector) => creators[selector.type](selector)),
  textPosition,
  textQuote,
};
