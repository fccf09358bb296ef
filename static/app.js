// imgsearch web app. The pages work without this script; it adds drag-and-drop, paste, a preview of the
// chosen photo, metric choices that follow the descriptor, and searches without a full page reload
// (the server renders the results; this only swaps the #results section and keeps the URL shareable).
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  const form = document.querySelector('form[data-enhance]');
  const results = () => document.getElementById('results');

  /** Replaces #results (and the title) with those of a page the server rendered. */
  function showPage(html, url, push) {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const fresh = doc.getElementById('results');
    const current = results();
    if (!fresh || !current) {
      location.href = url;
      return;
    }
    current.replaceWith(fresh);
    document.title = doc.title;
    if (push) {
      history.pushState({ imgsearch: true }, '', url);
    }
    const heading = fresh.querySelector('h2, h1');
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: true });
    }
    fresh.scrollIntoView({ block: 'start' });
  }

  function showFailure(message) {
    const box = document.createElement('div');
    box.className = 'error';
    box.setAttribute('role', 'alert');
    const p = document.createElement('p');
    p.textContent = message;
    box.appendChild(p);
    results().replaceChildren(box);
  }

  async function load(request, url, push) {
    const section = results();
    section.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(request);
      const html = await response.text();
      showPage(html, response.redirected ? response.url : url, push);
    } catch (e) {
      showFailure('The server could not be reached (' + e.message + '). Is imgsearch serve still running?');
    } finally {
      const now = results();
      if (now) {
        now.removeAttribute('aria-busy');
      }
    }
  }

  if (form) {
    const input = form.querySelector('input[type=file]');
    const zone = form.querySelector('[data-dropzone]');
    const preview = zone && zone.querySelector('.dropzone-preview');
    let previewUrl = null;

    function showPreview(file) {
      if (!preview) {
        return;
      }
      if (previewUrl) {
        URL.revokeObjectURL(previewUrl);
      }
      previewUrl = URL.createObjectURL(file);
      preview.src = previewUrl;
      preview.alt = 'Chosen photo: ' + file.name;
      preview.hidden = false;
    }

    function useFile(file) {
      const transfer = new DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
      showPreview(file);
      form.requestSubmit();
    }

    input.addEventListener('change', () => {
      if (input.files.length > 0) {
        showPreview(input.files[0]);
        form.requestSubmit();
      }
    });

    if (zone) {
      ['dragenter', 'dragover'].forEach((type) => zone.addEventListener(type, (e) => {
        e.preventDefault();
        zone.classList.add('dragging');
      }));
      ['dragleave', 'dragend'].forEach((type) => zone.addEventListener(type, () => zone.classList.remove('dragging')));
      zone.addEventListener('drop', (e) => {
        e.preventDefault();
        zone.classList.remove('dragging');
        const file = e.dataTransfer && e.dataTransfer.files[0];
        if (file) {
          useFile(file);
        }
      });
    }

    document.addEventListener('paste', (e) => {
      const items = e.clipboardData ? Array.from(e.clipboardData.items) : [];
      const item = items.find((i) => i.kind === 'file' && i.type.startsWith('image/'));
      if (item) {
        e.preventDefault();
        const file = item.getAsFile();
        const named = new File([file], file.name || 'pasted-image.' + (file.type.split('/')[1] || 'png'),
          { type: file.type });
        useFile(named);
      }
    });

    form.addEventListener('submit', (e) => {
      if (!input.files.length) {
        return; // let the browser say the field is required
      }
      e.preventDefault();
      const request = new Request(form.action, { method: 'POST', body: new FormData(form) });
      // An upload cannot be re-fetched from a URL, so the address stays that of the form page.
      load(request, form.action.endsWith('/compare') ? '/compare' : '/', false);
    });

    // Offer only the metrics the chosen descriptor supports.
    const descriptor = form.querySelector('select[name=descriptor]');
    const metric = form.querySelector('select[name=metric]');
    function filterMetrics() {
      if (!descriptor || !metric) {
        return;
      }
      for (const option of metric.options) {
        const owners = option.dataset.descriptors;
        const usable = !owners || owners.split(' ').includes(descriptor.value);
        option.hidden = !usable;
        option.disabled = !usable;
        if (!usable && option.selected) {
          metric.value = '';
        }
      }
    }
    if (descriptor) {
      descriptor.addEventListener('change', filterMetrics);
      filterMetrics();
    }
  }

  // "More like this": fetch the results page of a result and swap it in; the URL is the shareable GET.
  document.addEventListener('click', (e) => {
    const link = e.target.closest && e.target.closest('a.result-link');
    if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    if (!results() || !document.querySelector('.results-layout')) {
      return; // browse page: a normal navigation to the results page
    }
    e.preventDefault();
    load(new Request(link.href), link.href, true);
  });

  // Duplicates: the threshold shows as it moves and reloads the groups when let go (the button does it without JS).
  const thresholdForm = document.querySelector('form[data-threshold-form]');
  if (thresholdForm) {
    const slider = thresholdForm.querySelector('input[type=range]');
    const shown = thresholdForm.querySelector('output');
    const decimals = (slider.step.split('.')[1] || '').length;
    slider.addEventListener('input', () => {
      shown.textContent = Number(slider.value).toFixed(decimals);
    });
    slider.addEventListener('change', () => thresholdForm.requestSubmit());
    const descriptor = thresholdForm.querySelector('select[name=descriptor]');
    if (descriptor) {
      descriptor.addEventListener('change', () => {
        slider.disabled = true; // another descriptor: its own default threshold
        thresholdForm.requestSubmit();
      });
    }
  }

  window.addEventListener('popstate', () => {
    if (location.pathname === '/search' && location.search) {
      load(new Request(location.href), location.href, false);
    } else {
      location.reload();
    }
  });
}());
