/* The editing UI's preview pane in the site's own styles: the stylesheets of the home page (so the
   preview follows the theme's updates), then preview.css, which fits them to the CMS's layout. */
(() => {
  "use strict";

  async function registerSiteStyles() {
    const home = new URL("../", document.baseURI);
    const response = await fetch(home);
    if (response.ok) {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const link of page.querySelectorAll('link[rel="stylesheet"][href]')) {
        CMS.registerPreviewStyle(new URL(link.getAttribute("href"), home).href);
      }
    }
    CMS.registerPreviewStyle(new URL("preview.css", document.baseURI).href);
  }

  registerSiteStyles().catch((error) => console.error("hub: the preview's stylesheets", error));
})();
