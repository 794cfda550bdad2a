/* The language view (中文 / English / 双语, issue 18), before the first paint: a blocking script in <head>
   (overrides/main.html; one small file, cached, instead of the same inline code on every page). ?lang=zh|en|bi
   (remembered), else the reader's remembered choice, else the browser's languages (Chinese only: zh; English
   only: en; both or neither: bilingual). Sets <html data-cb-view lang> and the page's <title> from the script
   element's data-zh / data-en (no data-zh: the <title> is already the Chinese one). casebook.css shows the
   view's half of every pair, casebook.js runs the switch. Without script: bilingual. */
(function(){var h=document.documentElement,d=document.currentScript.dataset,k="casebook.lang",ok=/^(zh|en|bi)$/,v=new URLSearchParams(location.search).get("lang");try{if(ok.test(v))localStorage.setItem(k,v);else v=localStorage.getItem(k)}catch(e){}if(!ok.test(v)){var l=(navigator.languages||[navigator.language||""]).join(" ").toLowerCase(),z=/(^| )zh/.test(l),n=/(^| )en/.test(l);v=z&&!n?"zh":n&&!z?"en":"bi"}d.bi=document.title;h.setAttribute("data-cb-view",v);h.lang=v==="en"?"en":"zh";if(v!=="bi")document.title=d[v]||d.bi})()
