/* Tìm kiếm của giao diện cong-thong-tin — JavaScript thuần, không thư viện, không CDN.
 *
 * Gắn vào mọi phần tử [data-tim-kiem]:
 *   data-tim-kiem="trang"  trang /tim-kiem/: kết quả đầy đủ, đoạn trích, bộ lọc, ?q= trên URL;
 *   data-tim-kiem="o"      ô tìm kiếm ở đầu trang: gợi ý vài kết quả, Enter mở trang tìm kiếm.
 *   data-goc="/bantin/"    đường dẫn gốc của trang (config.base_path); chỉ mục ở <goc>tim-kiem/chi-muc/.
 * Chỉ mục chỉ được tải khi ô tìm kiếm được chọn hoặc trang tìm kiếm có sẵn ?q=, và từng phần:
 * meta.json, rồi các mảnh của từ khóa và các bài sẽ hiện; tệp đã tải được dùng lại (Index.files).
 *
 * Định dạng chỉ mục và luật xếp hạng: xem src/search/mod.rs. Hàm fold/tokens/rank ở đây phải
 * giữ đúng như bản Rust (src/search/text.rs, query.rs), nơi có các bài kiểm thử.
 * Dữ liệu chỉ mục chỉ được đưa vào trang qua textContent, không bao giờ qua innerHTML. */
(function () {
  'use strict';

  /* Dạng chỉ mục mà tệp này đọc; bantin cảnh báo khi dựng nếu khác dạng nó ghi. */
  var DANG_CHI_MUC = 2;
  var MIN_PREFIX = 2; // độ dài tối thiểu (sau khi bỏ dấu) để từ cuối được so như tiền tố
  var PAGE = 10; // số kết quả mỗi lần hiện trên trang tìm kiếm
  var SUGGEST = 5; // số gợi ý ở ô đầu trang
  var WORD = /[\p{Alphabetic}\p{N}\p{M}]+/gu;

  /* Bỏ dấu tiếng Việt: NFD, chữ thường, bỏ dấu kết hợp, đ/ð → d. "BÌNH ĐẲNG" → "binh dang". */
  function fold(s) {
    return s.normalize('NFD').toLowerCase().replace(/\p{M}/gu, '').replace(/[đð]/g, 'd');
  }

  /* Tách từ như tokens() trong Rust: {exact: chữ thường NFC, folded: đã bỏ dấu}. */
  function tokens(s) {
    return (s.normalize('NFC').match(WORD) || []).map(function (w) {
      var exact = w.toLowerCase().normalize('NFC');
      return { exact: exact, folded: fold(exact) };
    }).filter(function (t) { return t.folded; });
  }

  function firstChars(s, n) { return Array.from(s).slice(0, n).join(''); }

  /* Tên tệp của mảnh chỉ mục: giữ [a-z0-9], ký tự khác thành _<hex>_; tên thiết bị của Windows
     (con, aux, …) thêm _ ở cuối (như shard_file_name). */
  var TEN_THIET_BI = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/;
  function shardFile(key) {
    var name = Array.from(key).map(function (c) {
      return /[a-z0-9]/.test(c) ? c : '_' + c.codePointAt(0).toString(16) + '_';
    }).join('');
    return TEN_THIET_BI.test(name) ? name + '_' : name;
  }

  /* ---------------------------------------------------------------- tải chỉ mục */
  var indexes = {}; // theo đường dẫn gốc

  function Index(goc) {
    this.dir = goc.replace(/\/?$/, '/') + 'tim-kiem/chi-muc/';
    this.files = {};
    this.meta = null;
  }
  Index.prototype.get = function (path, noCache) {
    var self = this;
    if (!this.files[path]) {
      var url = this.dir + path + (this.meta ? '?v=' + this.meta.hash : '');
      this.files[path] = fetch(url, noCache ? { cache: 'no-cache' } : {}).then(function (r) {
        if (!r.ok) throw new Error(r.status + ' ' + url);
        return r.json();
      });
      this.files[path].catch(function () { delete self.files[path]; });
    }
    return this.files[path];
  };
  Index.prototype.load = function () {
    var self = this;
    return this.get('meta.json', true).then(function (m) {
      if (m.v !== DANG_CHI_MUC) throw new Error('chỉ mục tìm kiếm dạng ' + m.v + ', tệp này đọc dạng ' + DANG_CHI_MUC);
      if (!self.meta) {
        self.meta = m;
        self.shardSet = new Set(m.shards);
      }
      return self;
    });
  };
  Index.prototype.shard = function (key) { return this.get('tu/' + shardFile(key) + '.json'); };
  /* Từ có danh sách dài nằm trong tệp riêng (mảnh ghi 0 thay cho danh sách). */
  Index.prototype.word = function (key, folded) {
    return this.get('tu/' + shardFile(key) + '/' + shardFile(folded) + '.json');
  };
  /* Một bài: [tiêu đề, url, ngày, số chuyên mục, văn bản]; chỉ tải cho các kết quả được hiện. */
  Index.prototype.doc = function (doc) {
    var n = this.meta.chunk;
    return this.get('bai/' + Math.floor(doc / n) + '.json').then(function (a) { return a[doc % n]; });
  };
  Index.prototype.docs = function (list) {
    var self = this;
    return Promise.all(list.map(function (d) { return self.doc(d); }));
  };
  /* Chuyên mục, loại, địa bàn, dự án của từng bài: chỉ tải khi có bộ lọc. */
  Index.prototype.loc = function () { return this.get('loc.json'); };

  /* ---------------------------------------------------------------- xếp hạng (= query.rs) */
  /* Trọng số của một từ khóa có trong df trên n bài (= word_weight): log của n/df theo bước 1,5,
   * tính bằng số nguyên để giống hệt bản Rust. Âm tiết có ở khắp nơi ("đang", "an") nặng 1. */
  function weight(n, df) {
    var k = 1, x = Math.max(df, 1);
    while (x * 3 <= n * 2) { x = Math.ceil(x * 3 / 2); k++; }
    return k;
  }

  /* Tiêu đề có đủ các từ khóa liền nhau theo thứ tự: at[j] là các vị trí trong tiêu đề của
   * những từ khớp từ khóa thứ j (từ cuối có thể là tiền tố); cần một vị trí i của từ đầu mà
   * i + j là vị trí của từ khóa thứ j với mọi j. */
  function titleHasPhrase(at) {
    return at.length > 0 && at[0].some(function (i) {
      for (var j = 1; j < at.length; j++) if (at[j].indexOf(i + j) < 0) return false;
      return true;
    });
  }

  /* Tải mảnh chỉ mục của một từ khóa, rồi các tệp riêng của những từ khớp có danh sách dài:
   * trả về [[từ đã bỏ dấu, {cách viết: danh sách}], …] của mọi từ khớp. */
  function entries(idx, w, prefix) {
    var meta = idx.meta, len = Array.from(w.folded).length;
    var keys = len < meta.k && prefix
      ? meta.shards.filter(function (s) { return s.indexOf(w.folded) === 0; })
      : [firstChars(w.folded, meta.k)];
    keys = keys.filter(function (k) { return idx.shardSet.has(k); });
    return Promise.all(keys.map(function (k) {
      return idx.shard(k).then(function (shard) {
        return Promise.all(Object.keys(shard).filter(function (folded) {
          return folded === w.folded || (prefix && folded.indexOf(w.folded) === 0);
        }).map(function (folded) {
          var e = shard[folded];
          return (e === 0 ? idx.word(k, folded) : Promise.resolve(e)).then(function (sp) {
            return [folded, sp];
          });
        }));
      });
    })).then(function (lists) { return [].concat.apply([], lists); });
  }

  /* Trả về {words, prefix, hits: [số thứ tự bài, …], full: số bài có đủ mọi từ khóa (đứng đầu
   * hits)}, theo thứ tự: khớp nhiều từ hơn, khớp đúng dấu nhiều từ hơn, điểm cao hơn
   * (Σ trọng số·(20·trong tiêu đề + min(tf,10) + 5·trọn từ), thêm 20·Σ trọng số khi tiêu đề có
   * đủ các từ liền nhau), số thứ tự nhỏ hơn. Bài có dưới một nửa số từ khóa bị bỏ. */
  function rank(idx, query, loc) {
    var meta = idx.meta;
    var words = tokens(query);
    var prefixLast = !/\s$/.test(query);
    var filtered = loc.section !== '' || loc.area !== '' || loc.project !== '';
    var plans = words.map(function (w, i) {
      var len = Array.from(w.folded).length;
      var prefix = prefixLast && i === words.length - 1 && len >= MIN_PREFIX;
      return entries(idx, w, prefix).then(function (found) {
        return { w: w, prefix: prefix, found: found };
      });
    });
    return Promise.all([Promise.all(plans), filtered ? idx.loc() : null]).then(function (all) {
      var plans = all[0], docLoc = all[1];
      var acc = new Map(); // bài → [số từ khớp, số từ khớp đúng dấu, điểm, [vị trí trong tiêu đề theo từ khóa]]
      var weights = 0, n = words.length;
      plans.forEach(function (p, i) {
        var w = p.w, best = new Map(); // bài → [đúng dấu, điểm tốt nhất, vị trí trong tiêu đề]
        p.found.forEach(function (f) {
          var whole = f[0] === w.folded, spellings = f[1];
          Object.keys(spellings).forEach(function (sp) {
            var exact = whole ? sp === w.exact : sp.indexOf(w.exact) === 0;
            var post = spellings[sp], doc = 0, j = 0;
            while (j + 1 < post.length) {
              doc += post[j];
              var code = post[j + 1];
              j += 2;
              var score = 20 * (code & 1) + Math.min(code >> 1, 10) + (whole ? 5 : 0);
              var b = best.get(doc);
              if (!b) best.set(doc, b = [exact, score, []]);
              else { b[0] = b[0] || exact; if (score > b[1]) b[1] = score; }
              if (code & 1) {
                var c = post[j] || 0;
                for (var t = 1; t <= c; t++) b[2].push(post[j + t]);
                j += 1 + c;
              }
            }
          });
        });
        var wt = weight(meta.n, best.size);
        weights += wt;
        best.forEach(function (b, doc) {
          var a = acc.get(doc) || [0, 0, 0, []];
          a[0] += 1; a[1] += b[0] ? 1 : 0; a[2] += wt * b[1];
          if (a[0] === i + 1) a[3].push(b[2]); // chỉ bài có đủ các từ khóa trước đó mới có thể có cụm
          acc.set(doc, a);
        });
      });
      var hits = [];
      acc.forEach(function (a, doc) {
        if (doc >= meta.n || 2 * a[0] < n) return;
        if (docLoc) {
          var d = docLoc[doc];
          if (!d) return;
          if (loc.section !== '' && meta.sections[d[0]][0] !== loc.section) return;
          if (loc.area !== '' && d[2].indexOf(+loc.area) < 0) return;
          if (loc.project !== '' && d[3].indexOf(+loc.project) < 0) return;
        }
        var score = a[2];
        if (n > 1 && a[0] === n && a[3].length === n && titleHasPhrase(a[3])) score += 20 * weights;
        hits.push([doc, a[0], a[1], score]);
      });
      hits.sort(function (x, y) { return y[1] - x[1] || y[2] - x[2] || y[3] - x[3] || x[0] - y[0]; });
      return {
        words: words,
        prefix: n > 0 && plans[plans.length - 1].prefix,
        hits: hits.map(function (h) { return h[0]; }),
        // các bài có đủ mọi từ khóa: đứng đầu danh sách (xếp theo số từ khớp trước tiên)
        full: hits.filter(function (h) { return h[1] === n; }).length
      };
    });
  }

  /* ---------------------------------------------------------------- tô sáng, đoạn trích */
  /* Hàm trả về số thứ tự của từ khóa mà một từ của văn bản khớp (từ cuối có thể là tiền tố),
   * hoặc -1; kèm .words để đoạn trích biết từ khóa nào khớp đúng dấu. */
  function matcher(words, prefix) {
    var fn = function (w) {
      var f = fold(w);
      for (var i = 0; i < words.length; i++) {
        var q = words[i];
        if (f === q.folded || (prefix && i === words.length - 1 && f.indexOf(q.folded) === 0)) return i;
      }
      return -1;
    };
    fn.words = words;
    return fn;
  }

  /* Văn bản → DocumentFragment, từ khớp nằm trong <mark>; chỉ dùng textContent. */
  function highlight(text, match) {
    var frag = document.createDocumentFragment(), last = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      if (match(m[0]) < 0) continue;
      if (m.index > last) frag.appendChild(document.createTextNode(text.slice(last, m.index)));
      var mark = document.createElement('mark');
      mark.textContent = m[0];
      frag.appendChild(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  /* Đoạn khoảng 220 ký tự, cắt ở khoảng trắng, đặt ở chỗ gom được nhiều từ khóa khác nhau nhất
   * (hòa thì chỗ nhiều từ đúng dấu hơn, rồi chỗ sớm hơn). */
  function snippet(text, match) {
    var LEN = 220, BEFORE = 60, hits = [], m, i;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) {
      i = match(m[0]);
      if (i >= 0) hits.push([m.index, i, m[0].toLowerCase() === match.words[i].exact]);
    }
    var start = 0, best = -1;
    hits.forEach(function (a) {
      var seen = {}, n = 0, exact = 0;
      hits.forEach(function (b) {
        if (b[0] < a[0] || b[0] >= a[0] + LEN - BEFORE) return;
        if (!seen[b[1]]) { seen[b[1]] = true; n++; }
        if (b[2]) exact++;
      });
      if (n * 1000 + exact > best) { best = n * 1000 + exact; start = Math.max(0, a[0] - BEFORE); }
    });
    if (start > 0) {
      var sp = text.indexOf(' ', start);
      start = sp >= 0 && sp < start + 30 ? sp + 1 : start;
    }
    var end = Math.min(text.length, start + LEN);
    if (end < text.length) {
      var sp2 = text.lastIndexOf(' ', end);
      if (sp2 > start + LEN / 2) end = sp2;
    }
    var s = text.slice(start, end);
    return highlight((start > 0 ? '…' : '') + s + (end < text.length ? '…' : ''), match);
  }

  /* ---------------------------------------------------------------- giao diện */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function setup(root) {
    var mode = root.getAttribute('data-tim-kiem');
    var goc = root.getAttribute('data-goc') || '/';
    var idx = indexes[goc] || (indexes[goc] = new Index(goc));
    var form = root.querySelector('form') || root.closest('form');
    var input = root.querySelector('input[name="q"]');
    var status = root.querySelector('[data-trang-thai]');
    var out = root.querySelector('[data-ket-qua]');
    var filterBox = root.querySelector('[data-bo-loc]');
    var selects = {};
    Array.prototype.forEach.call(root.querySelectorAll('select[data-loc]'), function (s) {
      selects[s.getAttribute('data-loc')] = s;
    });
    if (!input || !status || !out || root.hasAttribute('data-san-sang')) return;
    root.setAttribute('data-san-sang', ''); // tệp có thể được nhúng hai lần (ô đầu trang + trang tìm kiếm)
    var seq = 0, timer = 0, shown = 0, current = null, loading = null, filled = false;
    var initial = new URLSearchParams(location.search); // bộ lọc ban đầu, trước mọi thay đổi URL

    function say(msg) { status.textContent = msg; }

    function loadIndex() {
      if (!loading) {
        if (!idx.meta) say('Đang tải chỉ mục…');
        loading = idx.load().then(function () {
          fillFilters();
          if (status.textContent === 'Đang tải chỉ mục…') say('');
        }, function (e) {
          loading = null;
          say('Không tải được chỉ mục tìm kiếm. Vui lòng thử lại sau.');
          throw e;
        });
      }
      return loading;
    }

    /* Bộ lọc: điền từ meta.json; giá trị ban đầu lấy từ URL (tên chuyên mục/địa bàn/dự án). */
    function fillFilters() {
      var meta = idx.meta;
      var lists = {
        section: meta.sections.map(function (s) { return [s[0], s[1]]; }),
        area: meta.areas.map(function (a, i) { return [String(i), a]; }),
        project: meta.projects.map(function (p, i) { return [String(i), p]; })
      };
      Object.keys(selects).forEach(function (k) {
        var s = selects[k];
        if (s.options.length > 1) return;
        var want = initial.get(s.name) || '';
        lists[k].forEach(function (o) {
          var opt = new Option(o[1], o[0]);
          if (want && want === (k === 'section' ? o[0] : o[1])) opt.selected = true;
          s.appendChild(opt);
        });
        var p = s.closest('p, div'); // ẩn bộ lọc không có lựa chọn nào
        if (p && p !== filterBox && lists[k].length === 0) p.hidden = true;
      });
      if (filterBox && (lists.section.length > 1 || lists.area.length || lists.project.length)) {
        filterBox.hidden = false;
      }
      filled = true;
    }

    function filters() {
      function v(k) { return selects[k] ? selects[k].value : ''; }
      return { section: v('section'), area: v('area'), project: v('project') };
    }

    /* Ghi ?q=…&chuyen-muc=…&dia-ban=…&du-an=… lên URL (tên, không phải số thứ tự); khi bộ lọc
     * chưa được điền (chỉ mục chưa tải) thì giữ nguyên giá trị lọc đang có trên URL. */
    function updateUrl() {
      if (mode !== 'trang' || !window.history.replaceState) return;
      var p = new URLSearchParams(location.search);
      if (input.value.trim()) p.set('q', input.value);
      else p.delete('q');
      if (filled) {
        Object.keys(selects).forEach(function (k) {
          var s = selects[k];
          if (s.value === '') p.delete(s.name);
          else p.set(s.name, k === 'section' ? s.value : s.options[s.selectedIndex].text);
        });
      }
      var qs = p.toString();
      history.replaceState(null, '', location.pathname + (qs ? '?' + qs : '') + location.hash);
    }

    function run() {
      var my = ++seq, q = input.value;
      updateUrl();
      if (!tokens(q).length) {
        out.textContent = '';
        say('');
        current = null;
        if (mode === 'o') out.hidden = true;
        return;
      }
      loadIndex().then(function () {
        return rank(idx, q, filters());
      }).then(function (r) {
        // tải trước các bài sẽ hiện, để danh sách hiện một lần, không nhảy từng dòng
        var first = mode === 'o' ? r.hits.slice(0, Math.min(r.full, SUGGEST)) : r.hits.slice(0, PAGE);
        return idx.docs(first).then(function (ds) { return [r, ds]; });
      }).then(function (rd) {
        var r = rd[0];
        if (my !== seq) return; // đã có truy vấn mới hơn
        current = r;
        shown = 0;
        out.textContent = '';
        if (!r.hits.length) {
          say('Không tìm thấy kết quả' + (q.trim() ? ' cho “' + q.trim() + '”.' : '.'));
          if (mode === 'o') out.hidden = true;
          return;
        }
        say(countMessage(r));
        if (mode === 'o') showSuggestions(r, q, rd[1]);
        else showPage(false, rd[1]);
      }).catch(function () {
        if (my === seq && idx.meta) say('Không tải được chỉ mục tìm kiếm. Vui lòng thử lại sau.');
      });
    }

    /* Số kết quả: bài có đủ các từ khóa và bài gần đúng (chỉ có một phần) được đếm riêng. */
    function countMessage(r) {
      var n = function (x) { return x.toLocaleString('vi-VN'); };
      var partial = r.hits.length - r.full;
      if (!partial) return 'Tìm thấy ' + n(r.full) + ' kết quả';
      if (!r.full) return 'Không có bài nào có đủ các từ khóa; ' + n(partial) + ' kết quả gần đúng';
      return 'Tìm thấy ' + n(r.full) + ' kết quả có đủ các từ khóa, thêm ' + n(partial) +
        ' kết quả gần đúng';
    }

    /* d: [tiêu đề, url, ngày, số chuyên mục, văn bản] (Index.doc) */
    function metaLine(d) {
      var p = el('p', 'meta');
      if (d[2]) p.appendChild(el('span', null, d[2]));
      var sec = idx.meta.sections[d[3]];
      if (sec && sec[1]) p.appendChild(el('span', 'meta__chuyen-muc', sec[1]));
      return p;
    }

    /* Nút "Xem thêm": tải PAGE bài tiếp theo rồi hiện. */
    function showMore(focusFirst) {
      var r = current, my = seq;
      idx.docs(r.hits.slice(shown, shown + PAGE)).then(function (ds) {
        if (my === seq && r === current) showPage(focusFirst, ds);
      }, function () { say('Không tải được kết quả. Vui lòng thử lại.'); });
    }

    /* Trang tìm kiếm: thêm PAGE kết quả (tiêu đề, ngày, chuyên mục, đoạn trích); ds là các bài
     * r.hits[shown …] đã tải. */
    function showPage(focusFirst, ds) {
      var r = current, from = shown;
      var match = matcher(r.words, r.prefix);
      var old = out.querySelector('.ket-qua__them');
      if (old) old.remove();
      // Bài có đủ các từ khóa trong danh sách đầu; bài gần đúng trong danh sách sau, có tiêu đề.
      var listFor = function (i) {
        var partial = i >= r.full && r.full < r.hits.length;
        var sel = partial ? 'ol.ket-qua--mot-phan' : 'ol.ket-qua:not(.ket-qua--mot-phan)';
        var found = out.querySelector(sel);
        if (found) return found;
        if (partial) {
          out.appendChild(el('h2', 'ket-qua__nhom', r.full
            ? 'Kết quả gần đúng (thiếu một số từ khóa)'
            : 'Kết quả gần đúng (không bài nào có đủ các từ khóa)'));
          return out.appendChild(el('ol', 'ket-qua ket-qua--mot-phan'));
        }
        return out.appendChild(el('ol', 'ket-qua'));
      };
      shown += ds.length;
      var items = ds.map(function (d, k) {
        var list = listFor(from + k);
        var li = el('li', 'the-bai');
        var h = li.appendChild(el('h2', 'the-bai__tieu-de'));
        var a = h.appendChild(el('a'));
        a.href = d[1];
        a.appendChild(highlight(d[0], match));
        li.appendChild(metaLine(d));
        var sn = li.appendChild(el('p', 'the-bai__tom-tat'));
        if (d[4]) sn.appendChild(snippet(d[4], match));
        list.appendChild(li);
        return a;
      });
      if (focusFirst && items[0]) items[0].focus();
      if (shown < r.hits.length) {
        var more = el('button', 'ket-qua__them', 'Xem thêm kết quả (còn ' +
          (r.hits.length - shown).toLocaleString('vi-VN') + ')');
        more.type = 'button';
        more.addEventListener('click', function () { showMore(true); });
        out.appendChild(more);
      }
    }

    /* Ô đầu trang: vài bài có đủ các từ khóa (không bao giờ bài gần đúng) và liên kết tới trang
     * tìm kiếm đầy đủ, nơi bài gần đúng được liệt kê riêng. */
    function showSuggestions(r, q, top) {
      var match = matcher(r.words, r.prefix);
      var list = top.length ? out.appendChild(el('ul', 'tim-kiem__goi-y')) : null;
      top.forEach(function (d) {
        var li = list.appendChild(el('li'));
        var a = li.appendChild(el('a'));
        a.href = d[1];
        a.appendChild(highlight(d[0], match));
        li.appendChild(metaLine(d));
      });
      if (form && r.hits.length > top.length) {
        var all = out.appendChild(el('p', 'tim-kiem__tat-ca')).appendChild(el('a', null, top.length
          ? 'Xem tất cả ' + r.hits.length.toLocaleString('vi-VN') + ' kết quả'
          : 'Xem ' + r.hits.length.toLocaleString('vi-VN') + ' kết quả gần đúng'));
        all.href = form.getAttribute('action') + '?q=' + encodeURIComponent(q);
      }
      out.hidden = false;
    }

    /* Phím mũi tên: từ ô nhập xuống các liên kết kết quả và ngược lại; Esc đóng gợi ý. */
    root.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && mode === 'o' && !out.hidden) {
        out.hidden = true;
        input.focus();
        return;
      }
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      var stops = [input].concat(Array.prototype.slice.call(out.querySelectorAll('a, button')));
      var i = stops.indexOf(document.activeElement);
      if (i < 0 || stops.length < 2) return;
      e.preventDefault();
      stops[Math.max(0, Math.min(stops.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))].focus();
    });

    root.addEventListener('focusin', function () {
      loadIndex().catch(function () {});
      if (mode === 'o' && current && current.hits.length) out.hidden = false;
    });
    if (mode === 'o') {
      root.addEventListener('focusout', function (e) {
        if (!root.contains(e.relatedTarget)) out.hidden = true;
      });
    }
    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    Object.keys(selects).forEach(function (k) { selects[k].addEventListener('change', run); });
    if (form && mode === 'trang') {
      form.addEventListener('submit', function (e) {
        e.preventDefault();
        clearTimeout(timer);
        run();
      });
    }

    if (mode === 'trang') {
      var q = new URLSearchParams(location.search).get('q');
      if (q) {
        input.value = q;
        run();
      } else if (location.search) {
        loadIndex().catch(function () {}); // chỉ có bộ lọc trên URL: điền lại các ô chọn
      }
    }
  }

  if (typeof document === 'undefined') { // Node: để kiểm thử đối chiếu với bản Rust
    if (typeof module === 'object') module.exports = { fold: fold, tokens: tokens, rank: rank, weight: weight, Index: Index, shardFile: shardFile };
    return;
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-tim-kiem]'), setup);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
